"""Fixtures: every storage test runs on a fresh SQLite file and a throwaway PostgreSQL database."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from flows.model import Assessment, Reason, Stage, Status, Verdict, VerdictResult
from storage.db import make_engine, prepare, session_scope
from storage.leads import get_or_create_lead
from storage.models import Qualification, QualificationStatus
from storage.qualifications import start_qualification

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Database:
    """An empty database for one test."""

    kind: str
    url: str


def _postgres_admin() -> Engine:
    return create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database, SQLite file or PostgreSQL database created for this test."""
    if request.param == "sqlite":
        yield Database("sqlite", f"sqlite:///{tmp_path / 'sdrbot.db'}")
        return
    name = f"sdrbot_test_{uuid.uuid4().hex[:12]}"
    admin = _postgres_admin()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield Database("postgresql", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def engine(db: Database) -> Iterator[Engine]:
    """An engine on a migrated database."""
    built = make_engine(db.url)
    prepare(built)
    yield built
    built.dispose()


@pytest.fixture
def make_qualification(engine: Engine) -> Callable[..., Qualification]:
    """Create a lead and a qualification thread for it; returns the committed row."""

    def build(
        team_id: str = "T1",
        lead_name: str = "Acme Corp",
        thread_ts: str = "1700000000.000100",
        rep_id: str = "U_REP",
        status: QualificationStatus = QualificationStatus.ACTIVE,
    ) -> Qualification:
        with session_scope(engine) as session:
            lead, _ = get_or_create_lead(
                session=session, team_id=team_id, name=lead_name, owner_id=rep_id
            )
            assert lead.id is not None
            return start_qualification(
                session=session,
                team_id=team_id,
                lead_id=lead.id,
                channel_id="C_SALES",
                thread_ts=thread_ts,
                rep_id=rep_id,
                framework="bant",
                language="en",
                machine_state="ask_budget",
                conversation={"framework": "bant", "state": "ask_budget", "answers": {}},
                status=status,
            )

    return build


def hot_verdict(score: int = 88) -> VerdictResult:
    """A BANT verdict as the flows engine would produce it."""
    met = Assessment(status=Status.MET, value=50000, evidence="50k approved")
    return VerdictResult(
        framework="bant",
        verdict=Verdict.HOT,
        score=score,
        stage=Stage.SQL,
        criteria={"budget": met, "need": Assessment(status=Status.MET, evidence="urgent")},
        gaps=("timeline",),
        reasons=(Reason(code="need_met", criterion="need"),),
        flip=(),
        fit_score=70,
    )


@pytest.fixture
def verdict_factory() -> Callable[..., VerdictResult]:
    """Build verdicts for tests."""
    return hot_verdict
