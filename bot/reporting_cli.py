"""The reporting sub-commands of ``sdrbot``: report, tune, import, export, outcome."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.settings import Settings
from storage.db import make_engine, prepare, session_scope
from storage.leads import team_ids

DEFAULT_TEAM = "T0001"
"""Team of a fresh database (the local simulator's workspace id)."""


class CliError(Exception):
    """A problem to print instead of a traceback."""


def resolve_team(session: Session, team: str | None) -> str:
    """The ``--team`` given, else the only team with leads, else the simulator's team.

    Raises:
        CliError: when several teams have leads and none was named.
    """
    if team:
        return team
    teams = team_ids(session=session)
    if len(teams) > 1:
        raise CliError("several teams in the database: name one with --team")
    return teams[0] if teams else DEFAULT_TEAM


@contextlib.contextmanager
def _output(path: str | None, *, binary: bool = False) -> Iterator[IO]:
    if path is None:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    with Path(path).open("wb" if binary else "w", encoding=None if binary else "utf-8") as f:
        yield f


def _engine(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    prepare(engine)
    return engine


def run(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """Run one reporting sub-command; returns the exit code."""
    settings = Settings.load()
    engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            team = resolve_team(session, args.team)
            return _COMMANDS[args.command](args, session, team, settings, stdout)
    except CliError as error:
        print(f"sdrbot {args.command}: {error}", file=stderr)
        return 2
    except (OSError, ValueError) as error:
        print(f"sdrbot {args.command}: {error}", file=stderr)
        return 1
    finally:
        engine.dispose()


def _report(a: argparse.Namespace, s: Session, team: str, st: Settings, out: IO[str]) -> int:
    from bot.rendering import TextBook
    from bot.services import reporting

    try:
        period = reporting.parse_period(a.period)
    except reporting.PeriodError as error:
        raise CliError(f"unknown period {error}") from None
    report = reporting.build_report(session=s, team_id=team, period=period)
    if a.format == "png":
        if a.output is None and out.isatty():
            raise CliError("a PNG needs --output FILE")
        with _output(a.output, binary=True) as f:
            f.write(reporting.render_png(report, TextBook()[st.language]))
        return 0
    render = {
        "text": lambda r: reporting.render_text(r, TextBook()[st.language]),
        "json": reporting.render_json,
        "csv": reporting.render_csv,
    }[a.format]
    with _output(a.output) if a.output else contextlib.nullcontext(out) as f:
        f.write(render(report).rstrip("\n") + "\n")
    return 0


def _tune(a: argparse.Namespace, s: Session, team: str, st: Settings, out: IO[str]) -> int:
    from bot.config import load_team_config
    from bot.services import tuning
    from flows.config import load_frameworks
    from storage import feedback

    frameworks = load_frameworks(load_team_config(st.config_path))
    if a.framework not in frameworks:
        raise CliError(f"unknown framework {a.framework}; known: {', '.join(sorted(frameworks))}")
    leads = tuning.past_leads(session=s, team_id=team, framework=a.framework)
    votes = feedback.tally(session=s, team_id=team, framework=a.framework)
    out.write(tuning.tune_report(frameworks[a.framework], leads, votes) + "\n")
    return 0


def _import(a: argparse.Namespace, s: Session, team: str, st: Settings, out: IO[str]) -> int:
    from bot.services import importing

    mapping = importing.load_mapping(a.mapping) if a.mapping else None
    with Path(a.file).open(encoding="utf-8-sig", newline="") as f:
        result = importing.import_csv(session=s, team_id=team, stream=f, mapping=mapping)
    out.write(f"{result.created} created, {result.updated} updated, {len(result.errors)} bad\n")
    for line, problem in result.errors:
        out.write(f"  line {line}: {problem}\n")
    return 1 if result.errors and not (result.created or result.updated) else 0


def _export(a: argparse.Namespace, s: Session, team: str, st: Settings, out: IO[str]) -> int:
    from bot.services import exporting
    from storage.events import record_audit

    with _output(a.output) if a.output else contextlib.nullcontext(out) as f:
        exporting.write(session=s, team_id=team, what=a.what, fmt=a.format, out=f)
    # Data leaving the system is a decision the audit trail names.
    record_audit(
        session=s,
        team_id=team,
        actor_id="cli",
        action="data.export",
        detail={"what": a.what, "format": a.format},
    )
    return 0


def _outcome(a: argparse.Namespace, s: Session, team: str, st: Settings, out: IO[str]) -> int:
    from bot.config import load_team_config
    from bot.services import outcomes
    from storage import leads

    lookup = leads.find_lead(session=s, team_id=team, query=a.lead)
    if lookup.lead is None:
        hint = f" (did you mean {', '.join(lookup.suggestions)}?)" if lookup.suggestions else ""
        raise CliError(f"no lead {a.lead!r}{hint}")
    result = outcomes.Result(a.result)
    if result is outcomes.Result.LOST and not a.reason:
        raise CliError("a lost deal needs --reason")
    recorded = outcomes.record_outcome(
        session=s,
        team_id=team,
        lead=lookup.lead,
        result=result,
        reason=a.reason,
        actor_id="cli",
        webhook_targets=load_team_config(st.config_path).webhooks,
    )
    out.write(f"{recorded.name}: {recorded.result.value}\n")
    return 0


_COMMANDS = {
    "report": _report,
    "tune": _tune,
    "import": _import,
    "export": _export,
    "outcome": _outcome,
}
