"""A seeded sales history: leads that walked known paths through the funnel.

Every seeded lead keeps the list of stages it went through, so tests can count the funnel in
plain Python and compare with what the SQL report says.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert, text

from storage.db import session_scope
from storage.models import Handoff, Lead, Qualification, VerdictRecord

TEAM = "TSEED"
REPS = ("UREP1", "UREP2", "UREP3", "UREP4")
SOURCES = ("web", "event", "referral", None)
FRAMEWORKS = ("bant", "meddic")


@dataclass
class SeededLead:
    """What happened to one seeded lead."""

    id: int
    owner: str
    source: str | None
    created_at: datetime
    stage: str
    path: list[str] = field(default_factory=lambda: ["lead"])
    framework: str | None = None
    qualification_seconds: float | None = None
    finished_at: datetime | None = None
    accept_seconds: float | None = None
    decided_at: datetime | None = None


def seed_funnel(
    engine: Engine, *, count: int, now: datetime, rng_seed: int = 7
) -> list[SeededLead]:
    """Insert ``count`` leads with qualifications, verdicts and handoffs in a few bulk inserts.

    Returns:
        The seeded leads with the stages each one passed through.
    """
    rng = random.Random(rng_seed)
    leads: list[SeededLead] = []
    lead_rows, qual_rows, verdict_rows, handoff_rows = [], [], [], []
    for i in range(1, count + 1):
        created = now - timedelta(seconds=rng.uniform(0, 80 * 86400))
        lead = SeededLead(
            id=i,
            owner=rng.choice(REPS),
            source=rng.choice(SOURCES),
            created_at=created,
            stage="lead",
        )
        if rng.random() < 0.8:
            lead.framework = rng.choice(FRAMEWORKS)
            started = created + timedelta(hours=1)
            duration = rng.uniform(60, 3 * 86400)
            finished = started + timedelta(seconds=duration)
            verdict = rng.choices(("hot", "warm", "cold"), weights=(3, 4, 3))[0]
            stage = {"hot": "SQL", "warm": "MQL", "cold": "nurture"}[verdict]
            if verdict == "cold" and rng.random() < 0.3:
                stage = "disqualified"
            qual_rows.append(
                {
                    "id": i,
                    "team_id": TEAM,
                    "lead_id": i,
                    "channel_id": "CSALES",
                    "thread_ts": f"{i}.0001",
                    "rep_id": lead.owner,
                    "framework": lead.framework,
                    "language": "en",
                    "machine_state": "done",
                    "conversation": {},
                    "status": "done",
                    "version": 5,
                    "started_at": started,
                    "finished_at": finished,
                    "updated_at": finished,
                }
            )
            verdict_rows.append(
                {
                    "team_id": TEAM,
                    "qualification_id": i,
                    "lead_id": i,
                    "framework": lead.framework,
                    "verdict": verdict,
                    "score": 50,
                    "stage": stage,
                    "reasons": [],
                    "gaps": [],
                    "created_at": finished,
                }
            )
            lead.qualification_seconds, lead.finished_at = duration, finished
            lead.stage = stage
            if stage in ("MQL", "SQL"):
                lead.path.append("MQL")
            if stage == "SQL":
                lead.path.append("SQL")
                lead.stage = _handoff(rng, lead, finished, handoff_rows)
            elif stage == "MQL" and rng.random() < 0.1:
                lead.stage = "lost"
        elif rng.random() < 0.3:
            lead.stage = "MQL"  # engagement alone made it marketing qualified
            lead.path.append("MQL")
        leads.append(lead)
        lead_rows.append(
            {
                "id": i,
                "team_id": TEAM,
                "name": f"Lead {i}",
                "name_key": f"lead {i}",
                "owner_id": lead.owner,
                "source": lead.source,
                "stage": lead.stage,
                "engagement_points": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
    with session_scope(engine) as session:
        for table, rows in (
            (Lead, lead_rows),
            (Qualification, qual_rows),
            (VerdictRecord, verdict_rows),
            (Handoff, handoff_rows),
        ):
            if rows:
                session.execute(insert(table), rows)
    if engine.dialect.name == "postgresql":
        # A live database has planner statistics (autovacuum); a freshly bulk-loaded one
        # does not, and without them PostgreSQL picks nested loops over the grouped joins.
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    return leads


def _handoff(rng: random.Random, lead: SeededLead, alerted: datetime, rows: list[dict]) -> str:
    decision = rng.random()
    if decision < 0.15:
        status, decided_at, stage = "pending", None, "SQL"
    else:
        wait = rng.uniform(30, 2 * 86400)
        decided_at = alerted + timedelta(seconds=wait)
        if decision < 0.75:
            status, stage = "accepted", "SAL"
            lead.path.append("SAL")
            lead.accept_seconds, lead.decided_at = wait, decided_at
            outcome = rng.random()
            if outcome < 0.4:
                stage = "customer"
                lead.path.append("customer")
            elif outcome < 0.7:
                stage = "lost"
        else:
            status, stage = "rejected", "nurture"
    rows.append(
        {
            "team_id": TEAM,
            "lead_id": lead.id,
            "qualification_id": lead.id,
            "alert_channel": "CALERTS",
            "status": status,
            "created_at": alerted,
            "decided_at": decided_at,
            "decided_by": "UAE1" if decided_at else None,
        }
    )
    return stage


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)
