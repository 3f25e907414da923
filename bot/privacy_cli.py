"""``sdrbot privacy export|erase LEAD`` and ``sdrbot audit export --since DATE``.

An erasure stages the redaction of the bot's Slack posts in the outbox; a running bot (any
worker on the same database) sends them within its next poll.
"""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import UTC, date, datetime
from typing import IO

from sqlmodel import Session

from bot.reporting_cli import CliError, resolve_team
from bot.settings import Settings
from storage.db import make_engine, prepare, session_scope


def run(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``privacy`` or ``audit``; returns the exit code."""
    settings = Settings.load()
    engine = make_engine(settings.database_url)
    prepare(engine)
    name = f"{args.command} {getattr(args, 'privacy_command', None) or args.audit_command}"
    try:
        with session_scope(engine) as session:
            team = resolve_team(session, args.team)
            if args.command == "audit":
                return _audit(args, session, team, stdout)
            return _privacy(args, session, team, settings, stdout)
    except CliError as error:
        print(f"sdrbot {name}: {error}", file=stderr)
        return 2
    except (OSError, ValueError) as error:  # an unreadable team config, a database refusal
        print(f"sdrbot {name}: {error}", file=stderr)
        return 1
    finally:
        engine.dispose()


def _privacy(
    args: argparse.Namespace, session: Session, team: str, settings: Settings, out: IO[str]
) -> int:
    from bot.config import load_team_config
    from bot.rendering import TextBook
    from bot.services import privacy

    found = privacy.find(session, team_id=team, query=args.lead, lead_id=args.lead_id)
    if found.lead is None:
        if found.several:
            listed = ", ".join(f"{lead.id}: {lead.name}" for lead in found.several)
            raise CliError(f"{args.lead!r} matches several leads ({listed}); pick one with --id")
        raise CliError(
            f"no lead {args.lead!r}" + (f" with id {args.lead_id}" if args.lead_id else "")
        )
    actor = args.by or _login()
    if args.privacy_command == "export":
        record = privacy.export(session, team_id=team, lead=found.lead, actor_id=actor)
        out.write(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n")
        return 0
    erasure = privacy.erase(
        session,
        team_id=team,
        lead=found.lead,
        actor_id=actor,
        config=load_team_config(settings.config_path),
        texts=TextBook()[settings.language],
    )
    rows = ", ".join(f"{table} {count}" for table, count in sorted(erasure.rows.items()))
    out.write(
        f"lead {erasure.lead_id} erased ({rows}); "
        f"{len(erasure.slack_posts)} Slack posts queued for redaction\n"
    )
    if erasure.in_flight:
        out.write(
            f"{erasure.in_flight} posts about it were being sent just now: run "
            f"`sdrbot privacy erase x --id {erasure.lead_id}` again in a minute to redact them\n"
        )
    return 0


def _login() -> str:
    """``cli:<login>`` of whoever runs the command, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # a container user without a name
        return "cli"


def _since(text: str) -> datetime:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--since {text!r} is no date (YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _audit(args: argparse.Namespace, session: Session, team: str, out: IO[str]) -> int:
    from bot.services import privacy

    privacy.write_audit(session, team_id=team, since=_since(args.since), fmt=args.format, out=out)
    return 0
