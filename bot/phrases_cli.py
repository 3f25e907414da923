"""``sdrbot phrases list|export|prune``: the workspace's learned phrasebook on the command line."""

from __future__ import annotations

import argparse
import csv
import json
from datetime import timedelta
from typing import IO, Any

from bot.reporting_cli import CliError, resolve_team
from bot.settings import Settings
from storage.db import make_engine, prepare, session_scope
from storage.events import record_audit
from storage.models import LearnedPhrase, utcnow
from storage.phrases import list_phrases, prune_phrases

FIELDS = ("id", "team_id", "topic", "phrase", "status", "value", "created_by", "created_at")


def _row(phrase: LearnedPhrase) -> dict[str, Any]:
    return {
        "id": phrase.id,
        "team_id": phrase.team_id,
        "topic": phrase.topic,
        "phrase": phrase.phrase,
        "status": phrase.status,
        "value": phrase.value,
        "created_by": phrase.created_by,
        "created_at": phrase.created_at.isoformat(),
    }


def run(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``sdrbot phrases ...``; returns the exit code (2 for a usage problem)."""
    engine = make_engine(Settings.load().database_url)
    try:
        prepare(engine)
        with session_scope(engine) as session:
            team = resolve_team(session, args.team)
            if args.phrases_command == "prune":
                older = None if args.older_than is None else utcnow() - timedelta(args.older_than)
                if not args.ids and older is None and args.topic is None:
                    raise CliError("name what to prune: --id, --older-than DAYS or --topic")
                removed = prune_phrases(
                    session=session, team_id=team, ids=args.ids, older_than=older, topic=args.topic
                )
                if removed:  # settings changed: who removed which phrases
                    record_audit(
                        session=session,
                        team_id=team,
                        actor_id="cli",
                        action="phrasebook.remove",
                        detail={
                            "phrase_ids": list(args.ids),
                            "older_than_days": args.older_than,
                            "topic": args.topic,
                            "removed": removed,
                        },
                    )
                stdout.write(f"{removed} removed\n")
                return 0
            rows = [_row(p) for p in list_phrases(session=session, team_id=team, topic=args.topic)]
        if args.phrases_command == "list":
            for row in reversed(rows):
                who = f" by {row['created_by']}" if row["created_by"] else ""
                stdout.write(
                    f"{row['id']:>5}  {row['topic']:<12} {row['status']:<8} "
                    f"{row['phrase']!r}{who} {row['created_at'][:10]}\n"
                )
            if not rows:
                stdout.write("no learned phrases\n")
        elif args.format == "json":
            stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            writer = csv.DictWriter(stdout, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "value": json.dumps(row["value"], ensure_ascii=False)})
        return 0
    except CliError as error:
        print(f"sdrbot phrases: {error}", file=stderr)
        return 2
    finally:
        engine.dispose()
