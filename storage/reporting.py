"""Aggregates for the funnel report, computed in SQL (GROUP BY, window functions).

A lead counts as having *reached* a stage when its current stage is that stage or a later one,
or when its history shows it got there (a verdict giving MQL or SQL, an accepted handoff). This
keeps lost leads in the stages they passed through without a stage history table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from storage.models import (
    Handoff,
    HandoffStatus,
    Lead,
    Qualification,
    QualificationStatus,
    VerdictRecord,
)

Dimension = Literal["rep", "framework", "source"]
DIMENSIONS: tuple[Dimension, ...] = ("rep", "framework", "source")
FUNNEL_STAGES = ("lead", "MQL", "SQL", "SAL", "customer")
SIDE_STAGES = ("nurture", "disqualified", "lost")

_AT_LEAST = {
    "MQL": ("MQL", "SQL", "SAL", "customer"),
    "SQL": ("SQL", "SAL", "customer"),
    "SAL": ("SAL", "customer"),
    "customer": ("customer",),
}


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """How many leads of one group reached each funnel stage, and where the rest sit now."""

    group: str | None
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Medians:
    """Median durations in seconds of one group; None where there was nothing to measure."""

    group: str | None
    qualification_seconds: float | None
    accept_seconds: float | None


def _seconds_between(session: Session, start: Any, end: Any) -> ColumnElement[float]:
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)


def _lead_facts(team_id: str) -> tuple[Any, Any]:
    """Per-lead facts from verdicts and handoffs, each aggregated in one pass.

    Joining these grouped subqueries once is much cheaper than a correlated EXISTS per lead
    and stage.
    """
    verdicts = (
        select(
            VerdictRecord.lead_id.label("lead_id"),
            func.max(case((VerdictRecord.stage == "SQL", 1), else_=0)).label("sql"),
            func.max(case((VerdictRecord.stage.in_(("MQL", "SQL")), 1), else_=0)).label("mql"),  # type: ignore[attr-defined]
        )
        .where(VerdictRecord.team_id == team_id)
        .group_by(VerdictRecord.lead_id)
        .subquery("v")
    )
    handoffs = (
        select(
            Handoff.lead_id.label("lead_id"),
            func.max(case((Handoff.status == HandoffStatus.ACCEPTED.value, 1), else_=0)).label(
                "accepted"
            ),
        )
        .where(Handoff.team_id == team_id)
        .group_by(Handoff.lead_id)
        .subquery("h")
    )
    return verdicts, handoffs


def _latest_framework(team_id: str) -> Any:
    """The framework of each lead's newest qualification, as a correlated scalar subquery.

    A lookup per lead through the ``qualification.lead_id`` index; a joined "newest per lead"
    derived table instead has no index on SQLite, which then scans it once per lead.
    """
    return (
        select(Qualification.framework)
        .where(Qualification.lead_id == Lead.id, Qualification.team_id == team_id)
        .order_by(Qualification.id.desc())  # type: ignore[union-attr]
        .limit(1)
        .correlate(Lead)
        .scalar_subquery()
    )


def _reached(stage: str, verdicts: Any, handoffs: Any) -> ColumnElement[bool]:
    current = Lead.stage.in_(_AT_LEAST[stage])  # type: ignore[attr-defined]
    if stage == "MQL":
        return current | (verdicts.c.mql == 1) | handoffs.c.lead_id.is_not(None)
    if stage == "SQL":
        return current | (verdicts.c.sql == 1) | handoffs.c.lead_id.is_not(None)
    if stage == "SAL":
        return current | (handoffs.c.accepted == 1)
    return current


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def funnel(
    *,
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    by: Dimension | None = None,
) -> list[FunnelCounts]:
    """Count the team's leads created in ``[start, end)`` per funnel stage reached.

    Args:
        session: a session.
        team_id: Slack team id.
        start: first instant of the period (aware).
        end: first instant after the period (aware).
        by: break the counts down by rep (lead owner), framework (of the lead's latest
            qualification) or lead source; None for one total row.

    Returns:
        One row per group (the group None for missing values), largest groups first.
    """
    verdicts, handoffs = _lead_facts(team_id)
    grouping: Any = {
        None: literal(None),
        "rep": Lead.owner_id,
        "source": Lead.source,
        "framework": _latest_framework(team_id),
    }[by]
    group = grouping.label("grp")
    columns = [func.count(Lead.id).label("lead")]
    for stage in FUNNEL_STAGES[1:]:
        columns.append(_count_if(_reached(stage, verdicts, handoffs)).label(stage))
    for stage in SIDE_STAGES:
        columns.append(_count_if(Lead.stage == stage).label(stage))
    joined = (
        select(group, *columns)
        .select_from(Lead)
        .outerjoin(verdicts, verdicts.c.lead_id == Lead.id)
        .outerjoin(handoffs, handoffs.c.lead_id == Lead.id)
    )
    statement = (
        joined.where(Lead.team_id == team_id, Lead.created_at >= start, Lead.created_at < end)
        .group_by(group)
        .order_by(func.count(Lead.id).desc(), group)
    )
    rows = session.execute(statement).all()
    names = [*FUNNEL_STAGES, *SIDE_STAGES]
    return [
        FunnelCounts(group=row.grp, counts={n: int(getattr(row, n) or 0) for n in names})
        for row in rows
        if row.lead
    ]


def _median_by_group(session: Session, group: Any, seconds: Any, *where: Any) -> dict[Any, float]:
    # The median without a percentile function (SQLite has none): number the durations per
    # group and average the one or two middle rows.
    numbered = (
        select(
            group.label("grp"),
            seconds.label("secs"),
            func.row_number().over(partition_by=group, order_by=seconds).label("rn"),
            func.count().over(partition_by=group).label("n"),
        )
        .where(*where)
        .subquery()
    )
    middle = (numbered.c.n + 1) // 2, (numbered.c.n + 2) // 2
    statement = (
        select(numbered.c.grp, func.avg(numbered.c.secs))
        .where(numbered.c.rn.in_(middle))
        .group_by(numbered.c.grp)
    )
    return {row[0]: float(row[1]) for row in session.execute(statement)}


def median_durations(
    *,
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    by: Dimension | None = None,
) -> list[Medians]:
    """Median time from qualification start to verdict, and from hot-lead alert to accept.

    Qualifications count when their verdict fell in ``[start, end)``; handoffs when they were
    accepted in it.

    Args:
        session: a session.
        team_id: Slack team id.
        start: first instant of the period (aware).
        end: first instant after the period (aware).
        by: rep (lead owner), framework or lead source; None for the whole team.

    Returns:
        One row per group that has at least one measurement.
    """
    q_group: Any
    h_group: Any
    if by is None:
        q_group = h_group = literal("")
    elif by == "framework":
        q_group, h_group = Qualification.framework, Qualification.framework
    else:
        column = Lead.owner_id if by == "rep" else Lead.source
        q_group = h_group = column
    qualifying = _median_by_group(
        session,
        q_group,
        _seconds_between(session, Qualification.started_at, Qualification.finished_at),
        Qualification.team_id == team_id,
        Qualification.status == QualificationStatus.DONE.value,
        Qualification.finished_at >= start,  # type: ignore[operator]
        Qualification.finished_at < end,  # type: ignore[operator]
        Lead.id == Qualification.lead_id,
    )
    accept_where = [
        Handoff.team_id == team_id,
        Handoff.status == HandoffStatus.ACCEPTED.value,
        Handoff.decided_at >= start,  # type: ignore[operator]
        Handoff.decided_at < end,  # type: ignore[operator]
        Lead.id == Handoff.lead_id,
    ]
    if by == "framework":
        accept_where.append(Qualification.id == Handoff.qualification_id)
    accepting = _median_by_group(
        session,
        h_group,
        _seconds_between(session, Handoff.created_at, Handoff.decided_at),
        *accept_where,
    )
    groups = list(dict.fromkeys([*qualifying, *accepting]))
    return [
        Medians(
            group=None if by is None else g,
            qualification_seconds=qualifying.get(g),
            accept_seconds=accepting.get(g),
        )
        for g in groups
    ]
