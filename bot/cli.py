"""The ``sdrbot`` command line: one sub-command per mode, each loaded only when used."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdrbot", description="Qualify sales leads in Slack.")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="HTTP mode: POST /slack/events, GET /healthz")
    serve.add_argument("--host", default="0.0.0.0", help="interface to listen on (%(default)s)")
    serve.add_argument("--port", type=int, default=3000, help="TCP port (%(default)s)")
    serve.add_argument(
        "--workers", type=int, default=1, help="worker processes sharing the database (%(default)s)"
    )

    sub.add_parser("socket", help="Socket Mode (needs SLACK_APP_TOKEN)")

    local = sub.add_parser("local", help="the local workspace simulator")
    local.add_argument("--port", type=int, default=3000, help="port of the page (%(default)s)")
    local.add_argument(
        "--demo",
        action="store_true",
        help="play a hot, a warm and a cold qualification once the page is open",
    )
    local.add_argument(
        "--lang",
        choices=("en", "de"),
        default=None,
        help="language of the bot and the demo (default: SDRBOT_LANGUAGE, else en)",
    )
    local.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="folder for the database and team config (default: ./.sdrbot-local; "
        "DATABASE_URL, when set, names the database instead)",
    )

    evaluate = sub.add_parser("evaluate", help="verdict for JSON answers on stdin")
    evaluate.add_argument("framework", help="bant, meddic, meddpicc, champ, anum or gpctba_ci")
    evaluate.add_argument(
        "--lang", choices=("en", "de"), default="en", help="language of the answers (%(default)s)"
    )
    evaluate.add_argument("--explain", action="store_true", help="print what decided each reading")

    _add_reporting_commands(sub)
    _add_phrases_command(sub)
    _add_privacy_commands(sub)

    from bot.crm.cli import add_command as add_crm_command

    add_crm_command(sub)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations to DATABASE_URL")
    return parser


def _add_reporting_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = {"default": None, "help": "team id (default: the only team in the database)"}
    report = sub.add_parser("report", help="the lead funnel of a period")
    report.add_argument("--period", default="30d", help="how far back, e.g. 7d, 30d (%(default)s)")
    report.add_argument(
        "--format",
        choices=("text", "json", "csv", "png"),
        default="text",
        help="output format (%(default)s)",
    )
    report.add_argument("--output", help="file to write (default: standard output)")
    report.add_argument("--team", **team)

    tune = sub.add_parser("tune", help="back-test the verdict rules on won and lost leads")
    tune.add_argument("--framework", default="bant", help="framework to back-test (%(default)s)")
    tune.add_argument("--team", **team)

    importing = sub.add_parser("import", help="import leads from a CSV file")
    importing.add_argument("file", help="CSV export from HubSpot or Salesforce")
    importing.add_argument("--mapping", help="YAML file mapping column names to fields")
    importing.add_argument("--team", **team)

    export = sub.add_parser("export", help="export leads, qualifications, answers or verdicts")
    export.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="output format (%(default)s)"
    )
    export.add_argument(
        "--what",
        choices=("leads", "qualifications", "answers", "verdicts"),
        default="leads",
        help="what to export (%(default)s)",
    )
    export.add_argument("--output", help="file to write (default: standard output)")
    export.add_argument("--team", **team)

    outcome = sub.add_parser("outcome", help="record that a lead was won or lost")
    outcome.add_argument("result", choices=("won", "lost"), help="won or lost")
    outcome.add_argument("lead", help="the lead's name")
    outcome.add_argument("--reason", help="why it was won or lost")
    outcome.add_argument("--team", **team)


def _add_phrases_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = {"default": None, "help": "team id (default: the only team in the database)"}
    phrases = sub.add_parser("phrases", help="the learned phrasebook: list, export, prune")
    actions = phrases.add_subparsers(dest="phrases_command", required=True)
    listing = actions.add_parser("list", help="the learned phrases, newest first")
    listing.add_argument("--topic", help="only this topic (budget, authority, need, ...)")
    listing.add_argument("--team", **team)
    export = actions.add_parser("export", help="the learned phrases as JSON or CSV")
    export.add_argument(
        "--format", choices=("json", "csv"), default="json", help="output format (%(default)s)"
    )
    export.add_argument("--topic", help="only this topic")
    export.add_argument("--team", **team)
    prune = actions.add_parser("prune", help="remove learned phrases")
    prune.add_argument("--id", type=int, action="append", default=[], dest="ids", help="by id")
    prune.add_argument("--older-than", type=int, metavar="DAYS", help="learned over N days ago")
    prune.add_argument("--topic", help="all of one topic")
    prune.add_argument("--team", **team)


def _add_privacy_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``privacy`` and ``audit`` on the ``sdrbot`` parser."""
    team = {"default": None, "help": "team id (default: the only team in the database)"}
    by = {"default": None, "help": "who asks, for the audit trail (default: cli:<login>)"}
    privacy = sub.add_parser("privacy", help="access and erasure requests for one lead")
    actions = privacy.add_subparsers(dest="privacy_command", required=True)
    export = actions.add_parser("export", help="print everything held on a lead as JSON")
    erase = actions.add_parser("erase", help="erase a lead's personal data, Slack posts too")
    for parser in (export, erase):
        parser.add_argument("lead", help="name, email or domain of the lead")
        parser.add_argument(
            "--id", type=int, dest="lead_id", help="the lead's id, when several match"
        )
        parser.add_argument("--team", **team)
        parser.add_argument("--by", **by)

    audit = sub.add_parser("audit", help="the audit trail")
    audit_actions = audit.add_subparsers(dest="audit_command", required=True)
    audit_export = audit_actions.add_parser("export", help="audit entries since a date")
    audit_export.add_argument("--since", required=True, help="YYYY-MM-DD or an ISO timestamp")
    audit_export.add_argument(
        "--format", choices=("jsonl", "csv"), default="jsonl", help="jsonl (default) or csv"
    )
    audit_export.add_argument("--team", **team)


def port_in_use(host: str, port: int) -> bool:
    """Whether another process already listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers do: a port left in TIME_WAIT by a previous run is free to bind.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def _refuse_busy_port(port: int, implied_command: str | None) -> int:
    """One line and exit code 2; a bare ``sdrbot`` takes no options, so its hint names the
    sub-command it ran."""
    option = f"--port {port + 1}"
    if implied_command:
        option = f"`sdrbot {implied_command} {option}`"
    print(f"Port {port} is in use; try {option}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named on the command line and return its exit code."""
    args = _parser().parse_args(argv)
    command = args.command
    implied_command = None
    if command is None:
        from bot.settings import Settings

        command = implied_command = "serve" if Settings.load().has_slack_tokens else "local"
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
    if command in ("privacy", "audit"):
        from bot.privacy_cli import run as run_privacy

        return run_privacy(args, stdout=sys.stdout, stderr=sys.stderr)

    if command == "crm":
        from bot.crm.cli import run as run_crm

        return run_crm(args, stdout=sys.stdout, stderr=sys.stderr)
    if command == "db":
        from bot.settings import Settings
        from storage.migrate import upgrade

        upgrade(Settings.load().database_url)
        return 0
    if command in ("serve", "local") and args.port and port_in_use(_host(args), args.port):
        return _refuse_busy_port(args.port, implied_command)
    if command == "serve":
        from bot.server import serve

        return serve(host=args.host, port=args.port, workers=args.workers)
    if command == "socket":
        from bot.socket_mode import run_socket_mode

        return run_socket_mode()
    if command == "local":
        from bot.simulator import run_simulator

        try:
            return run_simulator(port=args.port, demo=args.demo, language=args.lang, data=args.data)
        except RuntimeError as error:
            # Taken between the check above and the bind.
            cause = error.__cause__
            if isinstance(cause, OSError) and cause.errno == errno.EADDRINUSE:
                return _refuse_busy_port(args.port, implied_command)
            raise
    raise AssertionError(command)


def _host(args: argparse.Namespace) -> str:
    return str(getattr(args, "host", None) or "127.0.0.1")


if __name__ == "__main__":
    raise SystemExit(main())
