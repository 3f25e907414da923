"""flows is the pure domain: no Slack, no database, no templates, nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import flows

FORBIDDEN = {"slack_bolt", "slack_sdk", "sqlmodel", "sqlalchemy", "jinja2", "storage", "bot"}


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_module_in_flows_imports_transport_storage_or_templates() -> None:
    files = sorted(Path(flows.__file__).parent.rglob("*.py"))
    assert len(files) >= 8
    offenders = {
        str(f.name): sorted(_imported_roots(f) & FORBIDDEN)
        for f in files
        if _imported_roots(f) & FORBIDDEN
    }
    assert offenders == {}


def test_the_scan_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom sqlmodel import Session\nimport slack_sdk.web\n")
    assert _imported_roots(sample) & FORBIDDEN == {"sqlmodel", "slack_sdk"}
