"""Production code never loads the Slack stand-in or the simulator just by being imported.

Both folders ship (the default run command starts the simulator), but only the CLI's
``local`` command reaches them, through an import inside the function that starts it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import bot

BOT = Path(bot.__file__).resolve().parent
LOCAL_ONLY = ("bot.standin", "bot.simulator")


def _module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def production_modules() -> list[str]:
    """Every module of ``bot/`` outside the stand-in and the simulator."""
    names = (_module_name(path) for path in sorted(BOT.rglob("*.py")))
    return [name for name in names if not name.startswith(LOCAL_ONLY)]


def _loaded_after_importing(modules: list[str]) -> list[str]:
    # A fresh interpreter: this test process may have imported the stand-in already.
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=BOT.parent,
    )
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_no_production_module_imports_the_standin_or_the_simulator() -> None:
    modules = production_modules()
    assert {"bot.app", "bot.cli", "bot.server", "bot.config", "bot.services.steps"} <= set(modules)
    loaded = _loaded_after_importing(modules)
    assert set(modules) <= set(loaded)
    assert [name for name in loaded if name.startswith(LOCAL_ONLY)] == []


def test_the_check_sees_a_module_that_pulls_the_standin_in() -> None:
    # The simulator's runner starts the stand-in, so importing it must show up.
    assert "bot.standin" in _loaded_after_importing(["bot.simulator.runner"])
