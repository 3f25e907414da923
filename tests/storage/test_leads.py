"""Lead creation and lookup: by name in any case, by email, by domain, and "did you mean"."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import select

from storage.db import session_scope
from storage.leads import (
    find_lead,
    get_or_create_lead,
    list_leads,
    normalize_domain,
    recent_hot_leads,
    update_lead,
)
from storage.models import Lead, utcnow


def _seed(engine, team_id="T1"):
    with session_scope(engine) as session:
        get_or_create_lead(
            session=session, team_id=team_id, name="Acme Corp", email="Jane@Acme.com"
        )
        get_or_create_lead(
            session=session, team_id=team_id, name="Globex GmbH", domain="https://www.globex.de/"
        )
        get_or_create_lead(session=session, team_id=team_id, name="Initech")


def test_get_or_create_matches_names_case_insensitively(engine):
    with session_scope(engine) as session:
        first, created = get_or_create_lead(
            session=session, team_id="T1", name="Acme  Corp", owner_id="U1"
        )
        again, created_again = get_or_create_lead(session=session, team_id="T1", name="ACME corp")
    assert created and not created_again
    assert again.id == first.id
    assert first.name == "Acme Corp"
    assert first.owner_id == "U1"
    assert first.stage == "lead"


def test_concurrent_creation_of_one_lead_gives_one_row(engine):
    ids: list[int] = []
    created: list[bool] = []

    def create() -> None:
        with session_scope(engine) as session:
            lead, was_created = get_or_create_lead(session=session, team_id="T1", name="Umbrella")
            ids.append(lead.id)
            created.append(was_created)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 1
    assert created.count(True) == 1
    with session_scope(engine) as session:
        assert len(list_leads(session=session, team_id="T1")) == 1


def test_find_lead_by_exact_and_case_insensitive_name(engine):
    _seed(engine)
    with session_scope(engine) as session:
        exact = find_lead(session=session, team_id="T1", query="Acme Corp")
        shouted = find_lead(session=session, team_id="T1", query="  ACME   CORP ")
    assert exact.lead is not None and exact.lead.name == "Acme Corp"
    assert shouted.lead is not None and shouted.lead.id == exact.lead.id


def test_find_lead_by_email_and_by_domain(engine):
    _seed(engine)
    with session_scope(engine) as session:
        by_email = find_lead(session=session, team_id="T1", query="jane@acme.com")
        by_colleague = find_lead(session=session, team_id="T1", query="bob@acme.com")
        by_domain = find_lead(session=session, team_id="T1", query="globex.de")
        by_url = find_lead(session=session, team_id="T1", query="https://globex.de/pricing")
        by_email_domain = find_lead(session=session, team_id="T1", query="acme.com")
        unknown = find_lead(session=session, team_id="T1", query="nobody@nowhere.org")
    assert by_email.lead is not None and by_email.lead.name == "Acme Corp"
    assert by_colleague.lead is not None and by_colleague.lead.name == "Acme Corp"
    assert by_domain.lead is not None and by_domain.lead.name == "Globex GmbH"
    assert by_url.lead is not None and by_url.lead.name == "Globex GmbH"
    assert by_email_domain.lead is not None and by_email_domain.lead.name == "Acme Corp"
    assert unknown.lead is None


def test_find_lead_suggests_near_misses(engine):
    _seed(engine)
    with session_scope(engine) as session:
        typo = find_lead(session=session, team_id="T1", query="Acme Crop")
        partial = find_lead(session=session, team_id="T1", query="globex")
        nothing = find_lead(session=session, team_id="T1", query="Zyxwvut")
        empty = find_lead(session=session, team_id="T1", query="   ")
    assert typo.lead is None and typo.suggestions[0] == "Acme Corp"
    assert partial.lead is None and partial.suggestions == ["Globex GmbH"]
    assert nothing.lead is None and nothing.suggestions == []
    assert empty.lead is None and empty.suggestions == []


def test_suggestions_are_capped_at_three(engine):
    with session_scope(engine) as session:
        for suffix in "ABCDE":
            get_or_create_lead(session=session, team_id="T1", name=f"Northwind {suffix}")
        found = find_lead(session=session, team_id="T1", query="northwind")
    assert found.lead is None
    assert len(found.suggestions) == 3
    assert all(name.startswith("Northwind") for name in found.suggestions)


def test_list_leads_filters_and_orders_newest_first(engine):
    _seed(engine)
    now = utcnow()
    with session_scope(engine) as session:
        leads = {lead.name: lead for lead in session.exec(select(Lead)).all()}
        leads["Initech"].verdict, leads["Initech"].owner_id = "hot", "U9"
        leads["Initech"].updated_at = now + timedelta(minutes=1)
        leads["Acme Corp"].verdict = "hot"
        leads["Acme Corp"].updated_at = now + timedelta(minutes=2)
    with session_scope(engine) as session:
        everything = list_leads(session=session, team_id="T1")
        hot = list_leads(session=session, team_id="T1", verdict="hot")
        mine = list_leads(session=session, team_id="T1", owner_id="U9")
        first = list_leads(session=session, team_id="T1", limit=1)
        recent_hot = recent_hot_leads(session=session, team_id="T1")
    assert [lead.name for lead in hot] == ["Acme Corp", "Initech"]
    assert [lead.name for lead in recent_hot] == ["Acme Corp", "Initech"]
    assert [lead.name for lead in mine] == ["Initech"]
    assert len(everything) == 3 and everything[0].name == "Acme Corp"
    assert [lead.name for lead in first] == ["Acme Corp"]


def test_update_lead(engine):
    with session_scope(engine) as session:
        lead, _ = get_or_create_lead(session=session, team_id="T1", name="Hooli")
        update_lead(
            session=session, team_id="T1", lead_id=lead.id, employees=250, domain="Hooli.com"
        )
    with session_scope(engine) as session:
        found = find_lead(session=session, team_id="T1", query="hooli.com")
        assert found.lead is not None
        assert found.lead.employees == 250


def test_normalize_domain():
    assert normalize_domain("HTTPS://www.Example.co.uk:443/path") == "example.co.uk"
    assert normalize_domain("example.com") == "example.com"
