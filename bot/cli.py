"""The ``sdrbot`` command line: one sub-command per mode, each loaded only when used."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdrbot", description="Qualify sales leads in Slack.")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="HTTP mode: POST /slack/events, GET /healthz")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--workers", type=int, default=1)

    sub.add_parser("socket", help="Socket Mode (needs SLACK_APP_TOKEN)")

    local = sub.add_parser("local", help="the local workspace simulator")
    local.add_argument("--port", type=int, default=3000)
    local.add_argument("--demo", action="store_true", help="play a scripted demo")

    evaluate = sub.add_parser("evaluate", help="verdict for JSON answers on stdin")
    evaluate.add_argument("framework")
    evaluate.add_argument("--lang", choices=("en", "de"), default="en")
    evaluate.add_argument("--explain", action="store_true", help="print what decided each reading")

    _add_reporting_commands(sub)
    _add_phrases_command(sub)
    from bot.crm.cli import add_command as add_crm_command

    add_crm_command(sub)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations to DATABASE_URL")
    return parser


def _add_reporting_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = {"default": None, "help": "team id (default: the only team in the database)"}
    report = sub.add_parser("report", help="the lead funnel of a period")
    report.add_argument("--period", default="30d")
    report.add_argument("--format", choices=("text", "json", "csv", "png"), default="text")
    report.add_argument("--output", help="file to write (default: standard output)")
    report.add_argument("--team", **team)

    tune = sub.add_parser("tune", help="back-test the verdict rules on won and lost leads")
    tune.add_argument("--framework", default="bant")
    tune.add_argument("--team", **team)

    importing = sub.add_parser("import", help="import leads from a CSV file")
    importing.add_argument("file")
    importing.add_argument("--mapping", help="YAML file mapping column names to fields")
    importing.add_argument("--team", **team)

    export = sub.add_parser("export", help="export leads, qualifications, answers or verdicts")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument(
        "--what", choices=("leads", "qualifications", "answers", "verdicts"), default="leads"
    )
    export.add_argument("--output", help="file to write (default: standard output)")
    export.add_argument("--team", **team)

    outcome = sub.add_parser("outcome", help="record that a lead was won or lost")
    outcome.add_argument("result", choices=("won", "lost"))
    outcome.add_argument("lead")
    outcome.add_argument("--reason")
    outcome.add_argument("--team", **team)


def _add_phrases_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = {"default": None, "help": "team id (default: the only team in the database)"}
    phrases = sub.add_parser("phrases", help="the learned phrasebook: list, export, prune")
    actions = phrases.add_subparsers(dest="phrases_command", required=True)
    listing = actions.add_parser("list", help="the learned phrases, newest first")
    listing.add_argument("--topic", help="only this topic (budget, authority, need, ...)")
    listing.add_argument("--team", **team)
    export = actions.add_parser("export", help="the learned phrases as JSON or CSV")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--topic", help="only this topic")
    export.add_argument("--team", **team)
    prune = actions.add_parser("prune", help="remove learned phrases")
    prune.add_argument("--id", type=int, action="append", default=[], dest="ids", help="by id")
    prune.add_argument("--older-than", type=int, metavar="DAYS", help="learned over N days ago")
    prune.add_argument("--topic", help="all of one topic")
    prune.add_argument("--team", **team)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    args = _parser().parse_args(argv)
    command = args.command
    if command is None:
        from bot.settings import Settings

        command = "serve" if Settings.load().has_slack_tokens else "local"
        args = _parser().parse_args([command])

    if command == "evaluate":
        from flows.evaluate_cli import run_evaluate

        return run_evaluate(
            args.framework,
            lang=args.lang,
            stdin=sys.stdin,
            stdout=sys.stdout,
            explain=args.explain,
        )
    if command in ("report", "tune", "import", "export", "outcome"):
        from bot.reporting_cli import run

        return run(args, stdout=sys.stdout, stderr=sys.stderr)
    if command == "phrases":
        from bot.phrases_cli import run as run_phrases

        return run_phrases(args, stdout=sys.stdout, stderr=sys.stderr)
    if command == "crm":
        from bot.crm.cli import run as run_crm

        return run_crm(args, stdout=sys.stdout, stderr=sys.stderr)
    if command == "db":
        from bot.settings import Settings
        from storage.migrate import upgrade

        upgrade(Settings.load().database_url)
        return 0
    if command == "serve":
        from bot.server import serve

        return serve(host=args.host, port=args.port, workers=args.workers)
    if command == "socket":
        from bot.socket_mode import run_socket_mode

        return run_socket_mode()
    if command == "local":
        from bot.simulator import run_simulator

        return run_simulator(port=args.port, demo=args.demo)
    raise AssertionError(command)


if __name__ == "__main__":
    raise SystemExit(main())
