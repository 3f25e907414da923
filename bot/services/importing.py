"""``sdrbot import``: leads from HubSpot, Salesforce, our own export, or any CSV with a mapping.

Good rows are kept and bad ones reported with their line numbers. A lead already known by
email (or else by name) is updated rather than duplicated.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml
from sqlmodel import Session

from bot.services import outcomes
from storage import leads
from storage.models import LeadStage

FIELDS = frozenset(
    {
        "name", "first_name", "last_name", "company", "email", "domain", "source", "owner_id",
        "industry", "employees", "region", "revenue", "stage", "verdict", "score", "fit_score",
        "engagement_points", "outcome", "reason",
    }
)  # fmt: skip

HUBSPOT = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Company Name": "company",
    "Email": "email",
    "Lifecycle Stage": "stage",
    "Original Source": "source",
    "Industry": "industry",
    "Number of Employees": "employees",
    "Country/Region": "region",
    "Annual Revenue": "revenue",
    "Contact owner": "owner_id",
}
SALESFORCE = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Company": "company",
    "Email": "email",
    "Lead Source": "source",
    "Lead Status": "stage",
    "Industry": "industry",
    "No. of Employees": "employees",
    "NumberOfEmployees": "employees",
    "Country": "region",
    "Annual Revenue": "revenue",
    "AnnualRevenue": "revenue",
    "Lead Owner": "owner_id",
}
_STAGES = {
    # HubSpot lifecycle stages (internal and display names)
    "subscriber": LeadStage.PROSPECT, "lead": LeadStage.LEAD,
    "marketingqualifiedlead": LeadStage.MQL, "marketing qualified lead": LeadStage.MQL,
    "salesqualifiedlead": LeadStage.SQL, "sales qualified lead": LeadStage.SQL,
    "opportunity": LeadStage.SAL, "customer": LeadStage.CUSTOMER, "evangelist": LeadStage.CUSTOMER,
    # Salesforce lead statuses
    "open - not contacted": LeadStage.LEAD, "working - contacted": LeadStage.MQL,
    "closed - converted": LeadStage.SAL, "closed - not converted": LeadStage.DISQUALIFIED,
    # our own stage names
    **{s.value.casefold(): s for s in LeadStage},
}  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBER = re.compile(r"[^\d.\-]")


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    """(line number in the file, what is wrong) per rejected row."""


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a mapping file: ``columns: {"Their column": our_field, ...}``.

    Raises:
        ValueError: for a field we do not know.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    columns = data.get("columns", data)
    if not isinstance(columns, dict):
        raise ValueError(f"{path}: columns: must be a mapping of column to field")
    unknown = sorted(str(v) for v in columns.values() if v not in FIELDS)
    if unknown:
        raise ValueError(f"{path}: columns: unknown fields {', '.join(unknown)}")
    return {str(k): str(v) for k, v in columns.items()}


def recognise(headers: Iterable[str], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map the file's column names to our fields.

    An explicit mapping wins; otherwise HubSpot and Salesforce names and our own field names
    are recognised. Unknown columns are ignored.
    """
    known = {**HUBSPOT, **SALESFORCE, **{f: f for f in FIELDS}}
    if mapping:
        known = {**known, **mapping}
    folded = {k.casefold(): v for k, v in known.items()}
    return {h: folded[h.strip().casefold()] for h in headers if h.strip().casefold() in folded}


def _number(text: str, kind: type) -> Any:
    cleaned = _NUMBER.sub("", text)
    if not cleaned:
        raise ValueError(f"not a number: {text!r}")
    value = float(cleaned)
    return int(value) if kind is int else value


def parse_row(raw: Mapping[str, str], columns: Mapping[str, str]) -> dict[str, Any]:
    """Turn one CSV row into lead fields.

    Raises:
        ValueError: naming the field that is wrong.
    """
    data = {f: (raw.get(c) or "").strip() for c, f in columns.items()}
    data = {k: v for k, v in data.items() if v}
    person = " ".join(p for p in (data.pop("first_name", ""), data.pop("last_name", "")) if p)
    name = data.get("name") or data.get("company") or person
    if not name:
        raise ValueError("no name, company or person name")
    out: dict[str, Any] = {"name": name}
    if "email" in data:
        if not _EMAIL.match(data["email"]):
            raise ValueError(f"email: not an address: {data['email']!r}")
        out["email"] = data["email"]
    for key in ("company", "domain", "source", "owner_id", "industry", "region", "verdict"):
        if key in data:
            out[key] = data[key]
    for key, kind in (
        ("employees", int), ("revenue", float), ("score", int), ("fit_score", int),
        ("engagement_points", int),
    ):  # fmt: skip
        if key in data:
            try:
                out[key] = _number(data[key], kind)
            except ValueError as error:
                raise ValueError(f"{key}: {error}") from None
    if "stage" in data:
        stage = _STAGES.get(data["stage"].casefold())
        if stage is None:
            raise ValueError(f"stage: unknown stage {data['stage']!r}")
        out["stage"] = stage.value
    if "outcome" in data:
        result = outcomes.parse_result(data["outcome"])
        if result is None:
            raise ValueError(f"outcome: must be won or lost, not {data['outcome']!r}")
        out["outcome"] = result
        out["reason"] = data.get("reason")
    return out


def import_csv(
    *,
    session: Session,
    team_id: str,
    stream: IO[str],
    mapping: Mapping[str, str] | None = None,
    actor_id: str = "import",
) -> ImportResult:
    """Import leads from a CSV stream in the caller's transaction.

    Args:
        session: the transaction.
        team_id: Slack team id the leads belong to.
        stream: the CSV text (first line: column names).
        mapping: extra or overriding column-to-field names.
        actor_id: recorded as who set outcomes.

    Returns:
        Counts of created and updated leads and the rejected lines.
    """
    reader = csv.DictReader(stream)
    columns = recognise(reader.fieldnames or [], mapping)
    result = ImportResult()
    if not columns:
        result.errors.append((1, "no known column; give a mapping file"))
        return result
    for raw in reader:
        line = reader.line_num
        try:
            fields = parse_row(raw, columns)
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        outcome = fields.pop("outcome", None)
        reason = fields.pop("reason", None)
        name = fields.pop("name")
        state = {k: fields.pop(k) for k in ("stage", "verdict", "score", "fit_score",
                                            "engagement_points") if k in fields}  # fmt: skip
        lead = leads.lead_by_email_or_name(
            session=session, team_id=team_id, email=fields.get("email"), name=name
        )
        if lead is None:
            lead, _ = leads.get_or_create_lead(
                session=session, team_id=team_id, name=name, **fields
            )
            result.created += 1
        else:
            assert lead.id is not None
            leads.update_lead(session=session, team_id=team_id, lead_id=lead.id, **fields)
            result.updated += 1
        for key, value in state.items():
            setattr(lead, key, value)
        session.flush()
        if outcome is not None:
            outcomes.record_outcome(
                session=session, team_id=team_id, lead=lead, result=outcome, reason=reason,
                actor_id=actor_id,
            )  # fmt: skip
    return result
