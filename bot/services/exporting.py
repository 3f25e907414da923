"""``sdrbot export``: leads, qualifications, answers or verdicts as CSV or JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from sqlmodel import Session, SQLModel

from storage import exports
from storage.models import Answer, Lead, Qualification, VerdictRecord

LEAD_COLUMNS = (
    "name",
    "company",
    "email",
    "domain",
    "source",
    "owner_id",
    "industry",
    "employees",
    "region",
    "revenue",
    "stage",
    "verdict",
    "score",
    "fit_score",
    "engagement_points",
    "created_at",
)
"""Lead columns in export order; ``sdrbot import`` reads the same names back."""

_TABLES: dict[str, tuple[type[SQLModel], tuple[str, ...]]] = {
    "leads": (Lead, LEAD_COLUMNS),
    "qualifications": (
        Qualification,
        ("id", "lead_id", "framework", "language", "rep_id", "status", "started_at", "finished_at"),
    ),
    "answers": (
        Answer,
        ("id", "qualification_id", "criterion", "status", "value", "text", "answered_at"),
    ),
    "verdicts": (
        VerdictRecord,
        ("id", "lead_id", "qualification_id", "framework", "verdict", "score", "stage", "gaps"),
    ),
}
WHAT = tuple(_TABLES)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def rows(*, session: Session, team_id: str, what: str) -> Iterator[dict[str, Any]]:
    """The team's rows of ``what``, oldest first, fetched in batches.

    Answers superseded by a later edit are left out.
    """
    model, columns = _TABLES[what]
    for row in exports.table_rows(session=session, team_id=team_id, model=model, columns=columns):
        yield {c: _plain(v) for c, v in zip(columns, row, strict=True)}


def write(*, session: Session, team_id: str, what: str, fmt: str, out: IO[str]) -> int:
    """Write the export to ``out``.

    Args:
        session: a read session.
        team_id: Slack team id.
        what: ``leads``, ``qualifications``, ``answers`` or ``verdicts``.
        fmt: ``csv`` or ``json``.
        out: a text stream.

    Returns:
        How many rows were written.
    """
    columns = _TABLES[what][1]
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows(session=session, team_id=team_id, what=what):
            writer.writerow(
                {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
            )
            count += 1
        return count
    out.write("[")
    for row in rows(session=session, team_id=team_id, what=what):
        out.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count
