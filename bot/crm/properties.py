"""Our custom CRM properties: which fields a verdict writes, and how each is defined.

Field names here are ours without the team's prefix (``verdict``, ``budget_reading``); the
prefix (``sdrbot_`` by default) is added where they meet the CRM. A criterion's two fields are
made on first use, so a team that only runs BANT never sees MEDDIC's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.crm.mapping import HubSpotMapping
from flows.model import VerdictResult

GROUP_LABEL = "SDR bot"
LEAD_KEY = "lead_key"
"""Our lead (``team:id``); unique in HubSpot, so a company is never created twice for it."""
WRITE_KEY = "write_key"
"""The idempotency key of the last write made to the record."""
THREAD = "slack_thread"
BASE_FIELDS = (LEAD_KEY, WRITE_KEY, THREAD)

_NUMBERS = frozenset({"score", "fit_score"})
_LONG = frozenset({"gaps", "readings"})
_LABELS = {
    LEAD_KEY: "Lead key",
    WRITE_KEY: "Last write",
    THREAD: "Slack thread",
    "framework": "Framework",
    "verdict": "Verdict",
    "score": "Score",
    "fit_score": "Fit score",
    "stage": "Stage",
    "gaps": "Gaps",
    "readings": "Readings",
    "decision": "Handoff decision",
    "outcome": "Outcome",
}
MAX_TEXT = 65536
"""HubSpot's longest property value; evidence is cut well before it."""
_EVIDENCE_CHARS = 2000


def definition(field: str, *, name: str, group: str) -> dict[str, Any]:
    """The HubSpot property definition for one of our fields."""
    if field in _LABELS:
        label = _LABELS[field]
    else:
        criterion, _, part = field.rpartition("_")
        label = f"{criterion.replace('_', ' ').capitalize()} ({part})"
    number = field in _NUMBERS
    long_text = field in _LONG or field.endswith("_evidence")
    return {
        "name": name,
        "label": f"{GROUP_LABEL}: {label}",
        "groupName": group,
        "type": "number" if number else "string",
        "fieldType": "number" if number else ("textarea" if long_text else "text"),
        "hasUniqueValue": field == LEAD_KEY,
        "formField": False,
    }


def verdict_fields(verdict: VerdictResult) -> dict[str, Any]:
    """What a verdict writes: framework, verdict, score, stage, gaps, each reading and its
    evidence (the rep's own words)."""
    fields: dict[str, Any] = {
        "framework": verdict.framework,
        "verdict": verdict.verdict.value,
        "score": verdict.score,
        "stage": verdict.stage.value,
        "gaps": ", ".join(verdict.gaps),
    }
    if verdict.fit_score is not None:
        fields["fit_score"] = verdict.fit_score
    lines = []
    for key, assessment in verdict.criteria.items():
        reading = assessment.status.value
        if assessment.value not in (None, ""):
            reading = f"{reading}: {assessment.value}"
        evidence = (assessment.evidence or "")[:_EVIDENCE_CHARS]
        fields[f"{key}_reading"] = reading[:500]
        fields[f"{key}_evidence"] = evidence
        lines.append(f"{key}: {reading}" + (f" ({evidence})" if evidence else ""))
    fields["readings"] = "\n".join(lines)
    return fields


def firmographics(mapping: HubSpotMapping, company: Mapping[str, Any]) -> dict[str, Any]:
    """Our firmographic fields from a company's properties (those it has)."""
    found: dict[str, Any] = {}
    for field, property_name in mapping.firmographics.items():
        raw = company.get(property_name)
        if raw in (None, ""):
            continue
        if field in ("employees", "revenue"):
            try:
                number = float(raw)
            except (TypeError, ValueError):
                continue
            found[field] = int(number) if field == "employees" else number
        else:
            found[field] = str(raw)
    return found
