"""The reporting sub-commands as a user runs them: a real process on a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reporting.test_import_export import HUBSPOT_CSV

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    env.pop("SDRBOT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip


def test_import_outcome_export_report_and_tune(tmp_path: Path) -> None:
    source = tmp_path / "hubspot.csv"
    source.write_text(HUBSPOT_CSV, encoding="utf-8")
    imported = _run(tmp_path, "import", str(source), "--team", "TCLI")
    assert imported.returncode == 0, imported.stderr
    assert "2 created, 0 updated, 2 bad" in imported.stdout
    assert "line 3: email" in imported.stdout

    won = _run(tmp_path, "outcome", "won", "Analytical Engines")
    assert won.returncode == 0 and "won" in won.stdout
    lost = _run(tmp_path, "outcome", "lost", "Ray Ltd")
    assert lost.returncode == 2 and "--reason" in lost.stderr

    exported = _run(tmp_path, "export", "--format", "json")
    rows = {r["name"]: r for r in json.loads(exported.stdout)}
    assert rows["Analytical Engines"]["stage"] == "customer"
    assert rows["Ray Ltd"]["stage"] == "SQL"
    audit = _run(tmp_path, "audit", "export", "--since", "2000-01-01", "--team", "TCLI")
    entries = [json.loads(line) for line in audit.stdout.splitlines()]
    assert [(e["action"], e["actor_id"]) for e in entries[-2:]] == [
        ("lead.outcome", "cli"),
        ("data.export", "cli"),
    ]
    assert entries[-1]["detail"] == {"what": "leads", "format": "json"}

    report = _run(tmp_path, "report", "--period", "7d", "--format", "json")
    data = json.loads(report.stdout)
    assert data["total"]["counts"]["lead"] == 2 and data["total"]["counts"]["customer"] == 1
    chart = tmp_path / "funnel.png"
    png = _run(tmp_path, "report", "--format", "png", "--output", str(chart))
    assert png.returncode == 0 and chart.read_bytes().startswith(PNG_MAGIC)
    bad = _run(tmp_path, "report", "--period", "someday")
    assert bad.returncode == 2 and "someday" in bad.stderr

    tuned = _run(tmp_path, "tune", "--framework", "bant")
    assert tuned.returncode == 0 and "No bant qualifications" in tuned.stdout
