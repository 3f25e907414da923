"""The funnel report: periods, the report object, and its text, JSON, CSV and PNG forms."""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import Session

from bot.permissions import Action
from bot.rendering import Texts, role_mentions
from bot.services.context import Services
from storage import feedback, reporting
from storage.reporting import DIMENSIONS, FUNNEL_STAGES, SIDE_STAGES, Dimension

DEFAULT_PERIOD = "30d"
_DAYS = re.compile(r"^(\d{1,4})d$")
_QUARTER = re.compile(r"^(\d{4})-q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SHARE_WORDS = ("share", "teilen")
"""A last word of ``/lead report`` that posts the report in the channel for all to see."""


class PeriodError(ValueError):
    """A period text that names no period."""


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open time range ``[start, end)`` and the words that named it."""

    label: str
    start: datetime
    end: datetime


def _month_start(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def parse_period(text: str | None, *, now: datetime | None = None) -> Period:
    """Turn ``7d``, ``30d``, ``2026-Q3``, ``2026-05``, ``this-month``, ``last-month`` into dates.

    Args:
        text: what the user typed; empty means the last 30 days.
        now: the current time (aware); defaults to now.

    Returns:
        The period.

    Raises:
        PeriodError: when the text names no period.
    """
    now = now or datetime.now(UTC)
    label = (text or DEFAULT_PERIOD).strip().casefold()
    if match := _DAYS.match(label):
        days = int(match.group(1))
        if days < 1:
            raise PeriodError(label)
        return Period(label, now - timedelta(days=days), now)
    if match := _QUARTER.match(label):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * (quarter - 1) + 1
        return Period(label.upper(), _month_start(year, first), _month_start(year, first + 3))
    if match := _MONTH.match(label):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(label)
        return Period(label, _month_start(year, month), _month_start(year, month + 1))
    if label in ("this-month", "this_month"):
        return Period(label, _month_start(now.year, now.month), now)
    if label in ("last-month", "last_month"):
        this = _month_start(now.year, now.month)
        return Period(label, _month_start(now.year, now.month - 1), this)
    if label in ("this-quarter", "this_quarter"):
        first = 3 * ((now.month - 1) // 3) + 1
        return Period(label, _month_start(now.year, first), now)
    raise PeriodError(label)


def conversion_rates(counts: dict[str, int]) -> dict[str, float | None]:
    """Share of leads reaching each funnel stage that reached the next one.

    Returns:
        ``{"lead->MQL": 0.4, ...}``; None where the earlier stage is empty.
    """
    rates: dict[str, float | None] = {}
    for before, after in itertools.pairwise(FUNNEL_STAGES):
        base = counts.get(before, 0)
        rates[f"{before}->{after}"] = round(counts.get(after, 0) / base, 4) if base else None
    return rates


@dataclass(frozen=True, slots=True)
class GroupReport:
    """The funnel and medians of one group (or of the whole team when ``group`` is None)."""

    group: str | None
    counts: dict[str, int]
    rates: dict[str, float | None]
    median_qualification_hours: float | None = None
    median_accept_hours: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "counts": self.counts,
            "conversion": self.rates,
            "median_qualification_hours": self.median_qualification_hours,
            "median_accept_hours": self.median_accept_hours,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The team's funnel over a period, overall and broken down by rep, framework, source."""

    period: Period
    total: GroupReport
    breakdowns: dict[str, list[GroupReport]] = field(default_factory=dict)
    votes: dict[str, tuple[int, int]] = field(default_factory=dict)
    """People's thumbs on the period's verdicts, per bucket: ``(right, wrong)``."""

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "total": self.total.to_json(),
            "by": {k: [g.to_json() for g in v] for k, v in self.breakdowns.items()},
            "verdict_votes": {
                bucket: {"right": up, "wrong": down} for bucket, (up, down) in self.votes.items()
            },
        }


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def _groups(
    session: Session, team_id: str, period: Period, by: Dimension | None
) -> list[GroupReport]:
    window = {"session": session, "team_id": team_id, "start": period.start, "end": period.end}
    medians = {m.group: m for m in reporting.median_durations(**window, by=by)}
    out = []
    for row in reporting.funnel(**window, by=by):
        m = medians.get(row.group)
        out.append(
            GroupReport(
                group=row.group,
                counts=row.counts,
                rates=conversion_rates(row.counts),
                median_qualification_hours=_hours(m.qualification_seconds) if m else None,
                median_accept_hours=_hours(m.accept_seconds) if m else None,
            )
        )
    return out


def build_report(*, session: Session, team_id: str, period: Period) -> Report:
    """Compute the report of ``team_id`` for ``period`` from the database.

    Args:
        session: a read session.
        team_id: Slack team id.
        period: the period; leads count when created in it.

    Returns:
        The report.
    """
    totals = _groups(session, team_id, period, None)
    empty = {name: 0 for name in (*FUNNEL_STAGES, *SIDE_STAGES)}
    total = totals[0] if totals else GroupReport(None, empty, conversion_rates(empty))
    breakdowns = {dim: _groups(session, team_id, period, dim) for dim in DIMENSIONS}
    votes = feedback.tally(session=session, team_id=team_id, start=period.start, end=period.end)
    return Report(period=period, total=total, breakdowns=breakdowns, votes=votes)


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{100 * rate:.1f}%"


def render_text(report: Report, t: Texts, *, max_groups: int = 8) -> str:
    """The report as mrkdwn text worded by the templates.

    Args:
        report: the report.
        t: wording of one language.
        max_groups: most groups shown per breakdown (the largest ones).

    Returns:
        The text.
    """
    total = report.total
    lines = [t("report_heading", period=report.period.label, leads=total.counts["lead"])]
    rates = list(total.rates.values())
    for i, stage in enumerate(FUNNEL_STAGES):
        rate = _percent(rates[i - 1]) if i else ""
        lines.append(t("report_stage_line", stage=stage, count=total.counts[stage], rate=rate))
    lines.append(t("report_side_line", **{s: total.counts[s] for s in SIDE_STAGES}))
    lines.append(
        t(
            "report_medians",
            qualification=total.median_qualification_hours,
            accept=total.median_accept_hours,
        )
    )
    if report.votes:
        lines.append(t("report_votes", votes=report.votes))
    for dim, groups in report.breakdowns.items():
        if not groups:
            continue
        lines.append(t("report_breakdown_heading", dimension=dim))
        for g in groups[:max_groups]:
            lines.append(
                t(
                    "report_group_line",
                    dimension=dim,
                    group=g.group,
                    leads=g.counts["lead"],
                    sql=g.counts["SQL"],
                    customers=g.counts["customer"],
                    win_rate=_percent(g.counts["customer"] / g.counts["lead"]),
                    qualification=g.median_qualification_hours,
                )
            )
    return "\n".join(lines)


def render_json(report: Report) -> str:
    """The report as indented JSON."""
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


def render_csv(report: Report) -> str:
    """The report as CSV: one row for the total and one per group of each breakdown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rate_names = list(report.total.rates)
    writer.writerow(
        [
            "dimension",
            "group",
            *FUNNEL_STAGES,
            *SIDE_STAGES,
            *rate_names,
            "median_qualification_hours",
            "median_accept_hours",
        ]
    )
    rows = [("total", report.total)] + [
        (dim, g) for dim, groups in report.breakdowns.items() for g in groups
    ]
    for dim, g in rows:
        writer.writerow(
            [
                dim,
                "" if g.group is None else g.group,
                *(g.counts[s] for s in (*FUNNEL_STAGES, *SIDE_STAGES)),
                *("" if g.rates[r] is None else g.rates[r] for r in rate_names),
                "" if g.median_qualification_hours is None else g.median_qualification_hours,
                "" if g.median_accept_hours is None else g.median_accept_hours,
            ]
        )
    return buffer.getvalue()


def render_png(report: Report, t: Texts) -> bytes:
    """A bar chart of the funnel (and where the other leads went) as PNG bytes.

    Args:
        report: The funnel to draw.
        t: Wording of the chart's title and axis.
    """
    # Imported here: matplotlib is slow to load and only the chart needs it.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.5), dpi=100)
    axes = figure.subplots()
    names = [*FUNNEL_STAGES, *SIDE_STAGES]
    values = [report.total.counts[n] for n in names]
    colours = ["#2e7d32"] * len(FUNNEL_STAGES) + ["#9e9e9e"] * len(SIDE_STAGES)
    bars = axes.bar(names, values, color=colours)
    axes.bar_label(bars, labels=[str(v) for v in values], padding=2)
    axes.set_title(t("report_chart_title", period=report.period.label))
    axes.set_ylabel(t("report_chart_axis"))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def answer_report_command(
    services: Services,
    ack: Callable[..., Awaitable[Any]],
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    period_text: str,
) -> None:
    """Answer ``/lead report [period] [share]``, for managers only: the text to the asker
    alone, with a button that shares it, and the chart in their DM; with ``share``, both in
    the channel. Worded in the asker's language.

    Args:
        services: Shared collaborators.
        ack: Bolt's acknowledger of the command.
        team_id: Workspace id.
        channel_id: Where the command was typed.
        user_id: Who asked.
        period_text: The period the user typed (may be empty), perhaps followed by ``share``.
    """
    t = services.texts(await services.language_of(team_id, user_id))
    if not await services.may(Action.REPORT, team_id, user_id):
        managers = services.roles.people_of(team_id).managers
        line = t("refused_report", managers=role_mentions(managers))
        await ack(text=line, response_type="ephemeral")
        return
    words = period_text.split()
    shared = bool(words) and words[-1].casefold() in _SHARE_WORDS
    period_text = " ".join(words[:-1] if shared else words)
    try:
        period = parse_period(period_text)
    except PeriodError:
        await ack(text=t("report_bad_period", period=period_text), response_type="ephemeral")
        return
    report = await services.transaction(
        lambda session: build_report(session=session, team_id=team_id, period=period)
    )
    if shared:
        await ack(text=render_text(report, t), response_type="in_channel")
    else:
        from bot.services.report_share import private_report

        await ack(response_type="ephemeral", **private_report(t, report))

    async def upload() -> None:
        target = channel_id
        if not shared:
            opened = await services.slack_for(team_id).conversations_open(users=user_id)
            target = opened["channel"]["id"]
        await upload_chart(services.slack_for(team_id), report, channel_id=target, t=t)

    services.background.spawn(upload())


async def upload_chart(client: AsyncWebClient, report: Report, *, channel_id: str, t: Texts) -> str:
    """Render the chart and share it in ``channel_id`` through Slack's external upload flow.

    ``files_upload_v2`` calls ``files.getUploadURLExternal``, sends the bytes to the URL it
    got, then ``files.completeUploadExternal`` shares the file.

    Returns:
        The uploaded file's id.
    """
    png = await asyncio.to_thread(render_png, report, t)
    title = t("report_chart_title", period=report.period.label)
    response = await client.files_upload_v2(
        channel=channel_id, content=png, filename="lead-funnel.png", title=title
    )
    files = response.get("files") or [response.get("file") or {}]
    return str(files[0].get("id", ""))
