# ruff: noqa: E501
"""CSV import and export: round trip, CRM column recognition, bad rows, re-import updates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.services import exporting, importing
from storage.db import make_engine, prepare, session_scope
from storage.models import AuditEvent, Lead
from tests.reporting.seed import TEAM, seed_funnel, utc

HUBSPOT_CSV = """First Name,Last Name,Company Name,Email,Lifecycle Stage,Original Source,Industry,Number of Employees,Country/Region,Annual Revenue,Contact owner
Ada,Lovelace,Analytical Engines,ada@engines.example,marketingqualifiedlead,Organic Search,Software,"1,200",Germany,"5,000,000",UOWNER1
Bob,Stone,Stone GmbH,not-an-email,lead,Referrals,Retail,12,Austria,100000,UOWNER2
Cleo,Park,Park AG,cleo@park.example,customer,Direct Traffic,Finance,many,Germany,1,UOWNER1
Dan,Ray,Ray Ltd,dan@ray.example,salesqualifiedlead,Paid Social,Software,40,UK,2000000,UOWNER2
"""

SALESFORCE_CSV = """First Name,Last Name,Company,Email,Lead Source,Lead Status,Industry,NumberOfEmployees,Country,Annual Revenue,Lead Owner
Eve,Moss,Moss Inc,eve@moss.example,Web,Working - Contacted,Energy,300,USA,9000000,UOWNER3
,,,,Web,Open - Not Contacted,Energy,3,USA,1,UOWNER3
Fay,Lund,Lund AB,fay@lund.example,Partner,Closed - Converted,Energy,80,Sweden,700000,UOWNER3
"""


def _import(engine: Engine, text: str, **kwargs) -> importing.ImportResult:
    with session_scope(engine) as session:
        return importing.import_csv(
            session=session, team_id=TEAM, stream=io.StringIO(text), **kwargs
        )


def _export(engine: Engine, what: str = "leads", fmt: str = "csv") -> str:
    out = io.StringIO()
    with session_scope(engine) as session:
        exporting.write(session=session, team_id=TEAM, what=what, fmt=fmt, out=out)
    return out.getvalue()


def test_hubspot_columns_are_recognised_and_bad_rows_reported(sqlite_engine: Engine) -> None:
    result = _import(sqlite_engine, HUBSPOT_CSV)
    assert (result.created, result.updated) == (2, 0)
    assert [line for line, _ in result.errors] == [3, 4]
    assert "email" in result.errors[0][1] and "employees" in result.errors[1][1]
    with session_scope(sqlite_engine) as session:
        ada = session.scalars(select(Lead).where(Lead.email == "ada@engines.example")).one()
    assert (ada.name, ada.stage, ada.employees, ada.revenue) == (
        "Analytical Engines",
        "MQL",
        1200,
        5_000_000.0,
    )
    assert (ada.source, ada.region, ada.owner_id) == ("Organic Search", "Germany", "UOWNER1")


def test_salesforce_columns_and_reimport_updates(sqlite_engine: Engine) -> None:
    result = _import(sqlite_engine, SALESFORCE_CSV)
    assert (result.created, result.errors[0][0]) == (2, 3)
    changed = SALESFORCE_CSV.replace(
        "Working - Contacted,Energy,300", "Closed - Converted,Energy,310"
    )
    again = _import(sqlite_engine, changed)
    assert (again.created, again.updated) == (0, 2)
    with session_scope(sqlite_engine) as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 2
        eve = session.scalars(select(Lead).where(Lead.name == "Moss Inc")).one()
    assert (eve.stage, eve.employees) == ("SAL", 310)


def test_mapping_file_and_outcome_column(sqlite_engine: Engine, tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  Firma: company\n  Ergebnis: outcome\n  Grund: reason\n")
    text = "Firma,Ergebnis,Grund\nAcme,won,\nGlobex,lost,too expensive\nInitech,maybe,\n"
    result = _import(sqlite_engine, text, mapping=importing.load_mapping(mapping))
    assert result.created == 2 and result.errors[0][0] == 4
    with session_scope(sqlite_engine) as session:
        stages = dict(session.execute(select(Lead.name, Lead.stage)).all())
        audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "lead.outcome"))
        reasons = {a.detail["outcome"]: a.detail["reason"] for a in audits}
    assert stages == {"Acme": "customer", "Globex": "lost"}
    assert reasons == {"won": None, "lost": "too expensive"}


def test_csv_round_trip_keeps_the_data(sqlite_engine: Engine, tmp_path: Path) -> None:
    seed_funnel(sqlite_engine, count=400, now=utc(2026, 6, 1))
    _import(sqlite_engine, HUBSPOT_CSV)  # some leads with firmographics too
    exported = _export(sqlite_engine)
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    prepare(fresh)
    try:
        result = _import(fresh, exported)
        assert result.errors == [] and result.created == 402
        again = _export(fresh)
    finally:
        fresh.dispose()

    def keyed(text: str) -> dict[str, dict[str, str]]:
        rows = csv.DictReader(io.StringIO(text))
        return {r["name"]: {k: v for k, v in r.items() if k != "created_at"} for r in rows}

    assert keyed(again) == keyed(exported)


def test_json_export_of_verdicts(sqlite_engine: Engine) -> None:
    seed_funnel(sqlite_engine, count=50, now=utc(2026, 6, 1))
    rows = json.loads(_export(sqlite_engine, what="verdicts", fmt="json"))
    assert rows and {"verdict", "stage", "framework"} <= set(rows[0])
    assert all(r["verdict"] in ("hot", "warm", "cold") for r in rows)
