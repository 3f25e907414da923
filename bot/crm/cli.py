"""``sdrbot crm check|status``: is HubSpot reachable and mapped, and how do our writes stand."""

from __future__ import annotations

import argparse
import asyncio
from typing import IO, Any

from bot.config import ConfigError, load_team_config
from bot.crm import properties as props
from bot.crm.hubspot_api import HubSpotApi
from bot.crm.mapping import HubSpotMapping
from bot.crm.outbox import PREFIXES
from bot.crm.salesforce import EXTERNAL_ID, FIELDS, SalesforceWriter
from bot.services.delivery_checks import Refused, RetryLater
from bot.settings import Settings
from storage import crm
from storage.db import make_engine, prepare, session_scope


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Declare ``sdrbot crm check`` and ``sdrbot crm status``."""
    parser = sub.add_parser("crm", help="the CRM connection: check it, or see the writes")
    actions = parser.add_subparsers(dest="crm_command", required=True)
    actions.add_parser("check", help="test the HubSpot token and the field mapping")
    status = actions.add_parser("status", help="CRM writes waiting, retrying or failed")
    status.add_argument("--team", default=None, help="one team id (default: all)")


def run(args: argparse.Namespace, *, stdout: IO[str], stderr: IO[str]) -> int:
    """Run ``sdrbot crm ...``; 0 when all is well, 1 when something needs doing."""
    settings = Settings.load()
    if args.crm_command == "status":
        return _status(settings, args.team, stdout)
    try:
        mapping = load_team_config(settings.config_path).crm.hubspot
    except ConfigError as error:
        stderr.write(f"{error}\n")
        return 1
    if not settings.hubspot_token and not settings.salesforce_url:
        stdout.write(
            "No CRM is set up: SDRBOT_HUBSPOT_TOKEN and SDRBOT_SALESFORCE_URL are unset.\n"
        )
        return 1
    problems = 0
    if settings.hubspot_token:
        api = HubSpotApi(settings.hubspot_token, settings.hubspot_url)
        problems += asyncio.run(check(api, mapping, stdout))
    if settings.salesforce_url:
        writer = SalesforceWriter(
            settings.salesforce_url,
            settings.salesforce_client_id,
            settings.salesforce_client_secret,
            {},
        )
        problems += asyncio.run(check_salesforce(writer, stdout))
    stdout.write("ready\n" if not problems else f"{problems} to fix\n")
    return 0 if not problems else 1


async def check_salesforce(writer: SalesforceWriter, out: IO[str]) -> int:
    """Test the connected app's credentials and look for our Lead fields.

    Returns:
        How many problems were found (0: ready).
    """
    try:
        names = await writer.lead_field_names()
    except (Refused, RetryLater) as error:
        out.write(f"Salesforce at {writer.login_url}: {error}\n")
        return 1
    out.write(f"Salesforce at {writer.login_url}: connected\n")
    missing = [f for f in (EXTERNAL_ID, *FIELDS.values()) if f not in names]
    if missing:
        out.write(f"  missing Lead fields (deploy them, see docs/CRM.md): {', '.join(missing)}\n")
        return 1
    out.write("  our Lead fields exist\n")
    return 0


async def check(api: HubSpotApi, mapping: HubSpotMapping, out: IO[str]) -> int:
    """Test the token and every property the mapping names; print what is missing.

    Returns:
        How many problems were found (0: ready).
    """
    try:
        portal = await api.portal_id()
        existing = await api.company_properties()
    except Refused as refused:
        out.write(f"HubSpot at {api.base_url} refused the token: {refused}\n")
        if refused.code == "hubspot_missing_scope":
            out.write("  the private app needs crm.objects.companies.read/.write and\n")
            out.write("  crm.schemas.companies.read/.write\n")
        return 1
    except (RetryLater, Exception) as error:
        out.write(f"HubSpot at {api.base_url} did not answer: {error}\n")
        return 1
    out.write(f"HubSpot account {portal} at {api.base_url}: connected\n")
    problems = 0
    for field, name in mapping.firmographics.items():
        if name in existing:
            out.write(f"  {field} is read from {name}\n")
        else:
            out.write(f"  missing: company property {name} (for {field})\n")
            problems += 1
    for property_name, values in (
        ("lifecyclestage", mapping.lifecycle_stage),
        ("hs_lead_status", mapping.lead_status),
    ):
        problems += _check_options(out, existing.get(property_name), property_name, values)
    ours = [mapping.property_prefix + f for f in props.BASE_FIELDS]
    absent = [name for name in ours if name not in existing]
    group = mapping.property_group
    if absent:
        out.write(f"  created on first write, in group {group}: {', '.join(absent)}\n")
    else:
        out.write(f"  our properties exist (group {group})\n")
    return problems


def _check_options(out: IO[str], definition: dict[str, Any] | None, name: str, values: Any) -> int:
    if definition is None:
        out.write(f"  missing: company property {name}\n")
        return 1
    options = {str(o.get("value")) for o in definition.get("options") or []}
    if not options:
        return 0
    unknown = sorted(v for v in values.values() if v not in options)
    if unknown:
        out.write(f"  {name} has no option {', '.join(unknown)} (mapping in crm.hubspot)\n")
        return 1
    out.write(f"  {name}: every mapped value exists\n")
    return 0


def _status(settings: Settings, team: str | None, out: IO[str]) -> int:
    engine = make_engine(settings.database_url)
    try:
        prepare(engine)
        with session_scope(engine) as session:
            found = crm.writes(session=session, method_prefixes=PREFIXES, team_id=team)
            counts = found["counts"]
            rows = [
                (m.id, m.method, m.status, m.attempts, m.next_attempt_at, m.last_error)
                for m in found["open"]
            ]
    finally:
        engine.dispose()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    out.write(f"CRM writes: {total}" + (f" ({summary})" if summary else "") + "\n")
    for message_id, method, status, attempts, due, error in rows:
        when = f" next {due:%Y-%m-%d %H:%M:%S}" if status == "pending" else ""
        out.write(f"{message_id:>6}  {method:<24} {status:<8} tries {attempts}{when}\n")
        if error:
            out.write(f"        {error[:200]}\n")
    return 1 if counts.get("failed") else 0
