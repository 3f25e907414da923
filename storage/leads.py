"""Leads: creation by name, lookup by name, email or domain, and lists for status views."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlmodel import Session

from storage.inserts import insert_or_ignore
from storage.models import Lead, LeadBase, LeadStage, Qualification, name_key, utcnow

MAX_SUGGESTIONS = 3
_STARTING_WITH = 50
"""How many names starting with the typed text "did you mean" looks at."""
_NEIGHBOURS = 60
"""How many names sorting just before, and just after, the typed text it looks at."""
_RECENT = 100
"""How many of the most recently updated leads it looks at, whatever their names."""
_HIGHEST_CHAR = "\U0010ffff"
"""Appended to a prefix, the upper bound of an index range over names with that prefix."""

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
_LEAD_FIELDS = frozenset(LeadBase.model_fields) - {"name"}


@dataclass(frozen=True)
class LeadLookup:
    """What a lead query found: the lead, or near-miss names to offer."""

    lead: Lead | None
    suggestions: list[str] = field(default_factory=list)


def normalize_domain(value: str) -> str:
    """Reduce a URL or host to its bare lowercase domain (no scheme, ``www.``, path or port)."""
    host = value.strip().casefold()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", host)
    host = host.split("/", 1)[0].split(":", 1)[0]
    return host.removeprefix("www.")


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - _LEAD_FIELDS
    if unknown:
        raise TypeError(f"unknown lead fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if cleaned.get("email"):
        cleaned["email"] = cleaned["email"].strip().casefold()
    if cleaned.get("domain"):
        cleaned["domain"] = normalize_domain(cleaned["domain"])
    return cleaned


def get_or_create_lead(
    *, session: Session, team_id: str, name: str, owner_id: str | None = None, **fields: Any
) -> tuple[Lead, bool]:
    """Find the team's lead with this name (case-insensitively) or create it.

    Safe against two workers creating the same lead at once: the insert skips on the unique
    ``(team_id, name_key)`` and the existing row is returned.

    Args:
        session: the caller's session.
        team_id: Slack team id.
        name: the lead's name as typed.
        owner_id: Slack user id of the owning rep, for a new lead.
        **fields: other ``LeadBase`` fields (company, email, domain, firmographics...) for a
            new lead.

    Returns:
        The lead (in the session) and whether it was created now.
    """
    display = " ".join(name.split())
    if not display:
        raise ValueError("a lead needs a name")
    key = name_key(display)
    existing = _by_name_key(session, team_id, key)
    if existing is not None:
        return existing, False
    now = utcnow()
    values = {
        **_clean_fields(fields),
        "team_id": team_id,
        "name": display,
        "name_key": key,
        "owner_id": owner_id,
        "created_at": now,
        "updated_at": now,
    }
    insert = insert_or_ignore(session, Lead, unique=["team_id", "name_key"])
    created = session.scalars(insert.values(**values).returning(Lead)).first()
    if created is not None:
        return created, True
    # Someone else inserted it between our read and our insert.
    winner = _by_name_key(session, team_id, key)
    assert winner is not None
    return winner, False


def update_lead(*, session: Session, team_id: str, lead_id: int, **fields: Any) -> Lead | None:
    """Change a lead's descriptive fields (company, email, firmographics...)."""
    lead = get_lead(session=session, team_id=team_id, lead_id=lead_id)
    if lead is None:
        return None
    for key, value in _clean_fields(fields).items():
        setattr(lead, key, value)
    lead.updated_at = utcnow()
    session.flush()
    return lead


def get_lead(*, session: Session, team_id: str, lead_id: int) -> Lead | None:
    """Load a lead by id, within the team, into the session (changes to it are flushed)."""
    return session.scalars(_LEAD, {"team_id": team_id, "lead_id": lead_id}).first()


_LEAD = select(Lead).where(Lead.team_id == bindparam("team_id"), Lead.id == bindparam("lead_id"))
"""Built once: the lead of a step's verdict, card or handoff is read by id."""


def _by_name_key(session: Session, team_id: str, key: str) -> Lead | None:
    statement = select(Lead).where(Lead.team_id == team_id, Lead.name_key == key)
    return session.scalars(statement).first()


def _newest(session: Session, team_id: str, *conditions: Any) -> Lead | None:
    statement = (
        select(Lead)
        .where(Lead.team_id == team_id, *conditions)
        .order_by(Lead.updated_at.desc(), Lead.id.desc())  # type: ignore[attr-defined, union-attr]
        .limit(1)
    )
    return session.scalars(statement).first()


def find_lead(*, session: Session, team_id: str, query: str) -> LeadLookup:
    """Find a lead by name (any case), email or domain, or suggest near misses.

    Args:
        session: a session.
        team_id: Slack team id.
        query: what the user typed: a name, an email address or a domain.

    Returns:
        The lead when one matches; otherwise up to three names the user may have meant.
    """
    text = " ".join(query.split())
    if not text:
        return LeadLookup(None, [])
    key = name_key(text)
    lead = _by_name_key(session, team_id, key)
    if lead is not None:
        return LeadLookup(lead)
    if "@" in text and " " not in text:
        email = text.casefold()
        lead = _newest(session, team_id, Lead.email == email)
        if lead is None:
            lead = _by_domain(session, team_id, normalize_domain(email.rsplit("@", 1)[1]))
    elif _DOMAIN.match(normalize_domain(text)):
        lead = _by_domain(session, team_id, normalize_domain(text))
    if lead is not None:
        return LeadLookup(lead)
    return LeadLookup(None, _suggest(session, team_id, key))


def _by_domain(session: Session, team_id: str, domain: str) -> Lead | None:
    if not domain:
        return None
    return _newest(
        session,
        team_id,
        or_(Lead.domain == domain, func.lower(Lead.email).endswith("@" + domain)),
    )


def _suggest(session: Session, team_id: str, key: str) -> list[str]:
    by_key = _suggestion_candidates(session, team_id, key)
    # Names containing what was typed come first ("acme" -> "Acme Corp"), then close spellings.
    containing = [k for k in by_key if key in k or k in key]
    close = difflib.get_close_matches(key, list(by_key), n=MAX_SUGGESTIONS, cutoff=0.6)
    ordered = list(dict.fromkeys([*containing, *close]))
    return [by_key[k] for k in ordered[:MAX_SUGGESTIONS]]


def _suggestion_candidates(session: Session, team_id: str, key: str) -> dict[str, str]:
    """A few hundred names worth comparing with ``key``, found through indexes.

    Comparing with every name costs about 40 microseconds each, so at 100,000 leads the
    candidates come from three index range reads instead: names that start with what was typed,
    the names sorting just before and after it (a typo late in a name, or a name the typed text
    starts with), and the most recently touched leads (a typo in the first letters of a lead
    someone is working on).

    Returns:
        Display names by name key.
    """
    in_team = Lead.team_id == team_id
    name_key = Lead.name_key
    reads = [
        select(Lead.name, name_key)
        .where(in_team, name_key >= key, name_key < key + _HIGHEST_CHAR)
        .order_by(name_key)
        .limit(_STARTING_WITH),
        select(Lead.name, name_key)
        .where(in_team, name_key < key)
        .order_by(name_key.desc())  # type: ignore[attr-defined]
        .limit(_NEIGHBOURS),
        select(Lead.name, name_key)
        .where(in_team, name_key >= key)
        .order_by(name_key)
        .limit(_NEIGHBOURS),
        select(Lead.name, name_key)
        .where(in_team)
        .order_by(Lead.updated_at.desc())  # type: ignore[attr-defined]
        .limit(_RECENT),
    ]
    by_key: dict[str, str] = {}
    for statement in reads:
        for name, found_key in session.execute(statement):
            by_key.setdefault(found_key, name)
    return by_key


def list_leads(
    *,
    session: Session,
    team_id: str,
    verdict: str | None = None,
    owner_id: str | None = None,
    visible_to: tuple[str, Collection[str]] | None = None,
    limit: int = 20,
) -> list[Lead]:
    """The team's leads, most recently updated first, optionally by verdict or owner.

    ``visible_to`` is ``(user id, channel ids)``: only leads that user owns or that were
    qualified in one of those channels.
    """
    statement = select(Lead).where(Lead.team_id == team_id)
    if verdict is not None:
        statement = statement.where(Lead.verdict == str(verdict))
    if owner_id is not None:
        statement = statement.where(Lead.owner_id == owner_id)
    if visible_to is not None:
        user_id, channels = visible_to
        qualified_there = select(Qualification.lead_id).where(
            Qualification.team_id == team_id,
            Qualification.channel_id.in_(sorted(channels)),  # type: ignore[attr-defined]
        )
        statement = statement.where(
            or_(Lead.owner_id == user_id, Lead.id.in_(qualified_there))  # type: ignore[union-attr]
        )
    statement = statement.order_by(Lead.updated_at.desc(), Lead.id.desc()).limit(limit)  # type: ignore[attr-defined, union-attr]
    return list(session.scalars(statement))


def qualified_channels(
    *, session: Session, team_id: str, lead_id: int | None = None
) -> frozenset[str]:
    """The channels where the team's leads (or the lead ``lead_id``) were qualified."""
    statement = select(Qualification.channel_id).where(Qualification.team_id == team_id)
    if lead_id is not None:
        statement = statement.where(Qualification.lead_id == lead_id)
    return frozenset(session.scalars(statement.distinct()))


def recent_hot_leads(*, session: Session, team_id: str, limit: int = 10) -> list[Lead]:
    """The team's hot leads, most recently updated first."""
    return list_leads(session=session, team_id=team_id, verdict="hot", limit=limit)


def set_stage(*, session: Session, lead: Lead, stage: LeadStage) -> None:
    """Move a lead (in the session) to ``stage``."""
    lead.stage = stage.value
    lead.updated_at = utcnow()
    session.add(lead)
    session.flush()


def lead_by_email_or_name(
    *, session: Session, team_id: str, email: str | None, name: str
) -> Lead | None:
    """The team's lead with this email address (any case), else with this name (any case)."""
    if email:
        statement = select(Lead).where(Lead.team_id == team_id, Lead.email == email.casefold())
        found = session.scalars(statement.limit(1)).first()
        if found is not None:
            return found
    return _by_name_key(session, team_id, name_key(name))


def team_ids(*, session: Session) -> list[str]:
    """The teams that have leads, sorted (to scope an API or a command that names no team)."""
    return sorted(session.scalars(select(Lead.team_id).distinct()))
