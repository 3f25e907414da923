"""The tuner finds a planted budget threshold in past outcomes."""

from __future__ import annotations

import random

from sqlalchemy import Engine, insert

from bot.services import tuning as tuning_service
from flows import tuning
from flows.config import load_frameworks
from storage.db import session_scope
from storage.models import Answer, Lead, Qualification
from tests.reporting.seed import TEAM, utc

PLANTED = 40_000


def _seed_outcomes(engine: Engine, count: int = 300) -> None:
    """Leads whose deals closed exactly when the budget was at least 40k (plus a little noise)."""
    rng = random.Random(5)
    at = utc(2026, 3, 1)
    leads, quals, answers = [], [], []
    for i in range(1, count + 1):
        budget = rng.choice(range(5_000, 100_001, 2_500))
        won = budget >= PLANTED if rng.random() > 0.05 else budget < PLANTED
        leads.append(
            {"id": i, "team_id": TEAM, "name": f"L{i}", "name_key": f"l{i}",
             "stage": "customer" if won else "lost", "engagement_points": 0,
             "created_at": at, "updated_at": at}
        )  # fmt: skip
        quals.append(
            {"id": i, "team_id": TEAM, "lead_id": i, "channel_id": "C", "thread_ts": f"{i}.1",
             "rep_id": "U1", "framework": "bant", "language": "en", "machine_state": "done",
             "conversation": {}, "status": "done", "version": 5, "started_at": at,
             "finished_at": at, "updated_at": at}
        )  # fmt: skip
        statuses = {
            "budget": (
                "met" if budget >= 10_000 else "partial",
                {"amount": budget, "currency": "EUR"},
            ),
            "authority": ("partial", "influencer"),
            "need": ("met", None),
            "timeline": ("met", {"date": "2026-04-01", "days": 31}),
        }
        for key, (status, value) in statuses.items():
            answers.append(
                {"team_id": TEAM, "qualification_id": i, "criterion": key, "status": status,
                 "value": value, "text": "", "knockout": False, "superseded": False,
                 "answered_at": at}
            )  # fmt: skip
    with session_scope(engine) as session:
        for table, rows in ((Lead, leads), (Qualification, quals), (Answer, answers)):
            session.execute(insert(table), rows)


def test_tuner_proposes_the_planted_budget_threshold(sqlite_engine: Engine) -> None:
    _seed_outcomes(sqlite_engine)
    bant = load_frameworks()["bant"]
    with session_scope(sqlite_engine) as session:
        leads = tuning_service.past_leads(session=session, team_id=TEAM, framework="bant")
    assert len(leads) == 300
    current = tuning.measure(bant, leads)
    best = tuning.search(bant, leads)[0]
    assert abs(best.thresholds.min_budget - PLANTED) <= 2_500
    assert best.fit.accuracy > current.accuracy + 0.2
    assert best.fit.accuracy >= 0.9 and best.fit.hot_won is not None and best.fit.hot_won > 0.9
    text = tuning_service.tune_report(bant, leads)
    assert "min_budget:" in text and "overrides:" in text


def test_budget_separates_best_when_it_decides() -> None:
    bant = load_frameworks()["bant"]
    from flows.model import Assessment, Status

    def lead(budget_met: bool, won: bool) -> tuning.PastLead:
        status = Status.MET if budget_met else Status.MISSING
        return tuning.PastLead(
            answers={"budget": Assessment(status), "need": Assessment(Status.MET)}, won=won
        )

    leads = [lead(True, True)] * 20 + [lead(False, False)] * 20 + [lead(True, False)] * 2
    ranked = tuning.separation(bant, leads)
    assert ranked[0].criterion == "budget"
    assert ranked[0].met_rate_won == 1.0 and ranked[0].met_rate_lost < 0.1
    assert all(s.information_gain == 0 for s in ranked if s.criterion == "need")
