"""The command line as a person meets it: help for every option, a busy port, the data folder."""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import _parser, main
from bot.simulator.runner import data_location, describe_database, workspace_language

ROOT = Path(__file__).resolve().parents[2]


def _commands(
    parser: argparse.ArgumentParser, path: str = "sdrbot"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, f"{path} {name}")


def test_every_option_of_every_command_has_a_help_text() -> None:
    missing = []
    seen = 0
    for path, parser in _commands(_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if isinstance(action, argparse._SubParsersAction):
                documented = {choice.dest for choice in action._choices_actions if choice.help}
                missing += [f"{path} {name}" for name in action.choices if name not in documented]
                continue
            seen += 1
            if not (action.help or "").strip():
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert seen > 30, "the walk did not reach the sub-commands"
    assert missing == []


def test_local_help_names_the_language_and_data_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one line per option, whatever the terminal
    with pytest.raises(SystemExit):
        main(["local", "--help"])
    text = capsys.readouterr().out
    assert "--lang {en,de}" in text and "SDRBOT_LANGUAGE" in text
    assert "--data DIR" in text and ".sdrbot-local" in text


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


@pytest.mark.parametrize("command", [["local"], ["serve", "--host", "127.0.0.1"], ["serve"]])
def test_a_busy_port_gets_one_line_and_a_hint(
    command: list[str], busy_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--port", str(busy_port)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"Port {busy_port} is in use; try --port {busy_port + 1}\n"
    assert captured.out == ""


def test_a_bare_sdrbot_names_the_command_in_its_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.setenv(name, "")
    with socket.socket() as listener:
        try:
            listener.bind(("127.0.0.1", 3000))
            listener.listen()
        except OSError:
            pass  # something else on this machine holds the default port: just as busy
        assert main([]) == 2
    hint = "Port 3000 is in use; try `sdrbot local --port 3001`\n"
    assert capsys.readouterr().err == hint


def test_the_installed_command_exits_2_without_a_traceback(busy_port: int, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SDRBOT_"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "local", "--port", str(busy_port)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"Port {busy_port} is in use; try --port {busy_port + 1}"
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / ".sdrbot-local").exists()


def test_data_folder_is_under_the_working_directory_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert data_location(None) == (tmp_path / ".sdrbot-local", None)
    assert data_location("elsewhere") == ((tmp_path / "elsewhere").resolve(), None)


def test_database_url_names_the_database_unless_a_folder_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://sdr:secret@db.example/sim")
    folder, url = data_location(None)
    assert (folder, url) == (tmp_path / ".sdrbot-local", "postgresql://sdr:secret@db.example/sim")
    assert describe_database(url) == "postgresql://sdr:***@db.example/sim"
    assert data_location(str(tmp_path / "d")) == (tmp_path / "d", None)


def test_lang_option_wins_over_sdrbot_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("SDRBOT_LANGUAGE", "de")
    assert workspace_language(None) == "de"
    assert workspace_language("en") == "en"
    monkeypatch.delenv("SDRBOT_LANGUAGE")
    assert workspace_language(None) == "en"


def test_the_data_folder_is_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".sdrbot-local/" in ignored


def test_readme_names_python_and_where_sdrbot_lives() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert first_block[0].startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert first_block[0].split("#")[0].strip().endswith(".venv/bin/sdrbot")
    assert first_block[1].startswith("bash .ci/run")
    assert "Python 3.11+" in readme
    examples = [
        line
        for block in readme.split("```sh\n")[1:]
        for line in block.split("```", 1)[0].splitlines()
    ]
    calls = [line for line in examples if re.search(r"(^|[\s|])(\S*)sdrbot ", line)]
    assert len(calls) >= 4
    assert [line for line in calls if ".venv/bin/sdrbot " not in line] == []
