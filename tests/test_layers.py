"""SQL lives in ``storage``: no module of ``bot`` builds or runs a statement itself.

``bot/standin`` and ``bot/simulator`` are left out: they stand in for Slack and for a
workspace in tests and local runs, and hold no SQL either way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bot

STATEMENT_BUILDERS = frozenset({"select", "update", "delete", "insert", "func", "text"})
"""Names that build SQL when they come from SQLAlchemy or SQLModel."""
RUNNERS = frozenset({"exec", "execute", "scalar", "scalars"})
"""Methods that run a statement on a session or connection."""
EXEMPT = ("standin", "simulator")


def _from_sql_library(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in ("sqlalchemy", "sqlmodel")


def _runs_on(node: ast.expr) -> str | None:
    """The name of what a method is called on, when it looks like a session or connection."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    if isinstance(name, str) and name.lower().endswith(("session", "connection", "conn")):
        return name
    return None


def sql_in(path: Path) -> list[str]:
    """What in the module at ``path`` builds or runs SQL, as ``line: what`` strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    libraries: set[str] = set()  # local names of imported sqlalchemy / sqlmodel modules
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _from_sql_library(node.module):
            found += [
                f"{node.lineno}: from {node.module} import {alias.name}"
                for alias in node.names
                if alias.name in STATEMENT_BUILDERS or alias.name == "*"
            ]
        elif isinstance(node, ast.Import):
            libraries.update(
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if _from_sql_library(alias.name)
            )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if (
            node.attr in STATEMENT_BUILDERS
            and isinstance(node.value, ast.Name)
            and node.value.id in libraries
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        elif node.attr in RUNNERS and (target := _runs_on(node.value)):
            found.append(f"{node.lineno}: {target}.{node.attr}(...)")
    return sorted(found)


def _production_modules() -> list[Path]:
    root = Path(bot.__file__).parent
    return [
        path for path in sorted(root.rglob("*.py")) if path.relative_to(root).parts[0] not in EXEMPT
    ]


def test_no_module_of_bot_builds_or_runs_sql() -> None:
    modules = _production_modules()
    assert len(modules) >= 30
    offenders = {
        str(path.relative_to(Path(bot.__file__).parent)): sql_in(path)
        for path in modules
        if sql_in(path)
    }
    assert offenders == {}


def test_the_scan_catches_each_way_of_writing_sql(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlalchemy import func, select\n"
        "from sqlmodel import col, text\n"
        "from sqlalchemy.dialects.postgresql import insert\n"
        "import sqlalchemy as sa\n"
        "from sqlalchemy.engine import Engine\n"
        "rows = session.execute(sa.update(Lead))\n"
        "one = self.session.scalar(query)\n"
        "conn.exec(query)\n"
        "client.execute(job)\n"
    )
    assert sql_in(sample) == [
        "1: from sqlalchemy import func",
        "1: from sqlalchemy import select",
        "2: from sqlmodel import text",
        "3: from sqlalchemy.dialects.postgresql import insert",
        "6: sa.update",
        "6: session.execute(...)",
        "7: session.scalar(...)",
        "8: conn.exec(...)",
    ]
