"""Votes on verdicts: one per person and verdict, a second click changes it, counted per
bucket for the tuning and the report; the thread's permalink kept without a version bump."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from flows.model import VerdictResult
from storage import cards, feedback
from storage.db import session_scope
from storage.models import Qualification, QualificationStatus
from storage.qualifications import get_qualification_by_id, latest_verdict, save_step


def _verdict_id(
    engine: Engine,
    make_qualification: Callable[..., Qualification],
    verdict_factory: Callable[..., VerdictResult],
) -> tuple[int, Qualification]:
    qualification = make_qualification()
    with session_scope(engine) as session:
        save_step(
            session=session,
            qualification=qualification,
            expected_version=qualification.version,
            machine_state="done",
            conversation={},
            status=QualificationStatus.DONE,
            answer=None,
            verdict=verdict_factory(),
            actor_id="U_REP",
        )
        record = latest_verdict(session=session, team_id="T1", lead_id=qualification.lead_id)
        assert record is not None and record.id is not None
        return record.id, qualification


def test_one_vote_per_person_and_a_second_click_changes_it(
    engine: Engine,
    make_qualification: Callable[..., Qualification],
    verdict_factory: Callable[..., VerdictResult],
) -> None:
    verdict_id, _ = _verdict_id(engine, make_qualification, verdict_factory)
    clicks = [("U_A", True), ("U_A", False), ("U_A", False), ("U_B", False)]
    before = []
    for user, right in clicks:
        with session_scope(engine) as session:
            before.append(
                feedback.record_vote(
                    session=session, team_id="T1", verdict_id=verdict_id, user_id=user, right=right
                )
            )
    assert before == [None, True, False, None]
    with session_scope(engine) as session:
        assert feedback.votes(session=session, team_id="T1", verdict_id=verdict_id) == [
            ("U_A", False),
            ("U_B", False),
        ]
        assert feedback.tally(session=session, team_id="T1") == {"hot": (0, 2)}
        assert feedback.tally(session=session, team_id="T1", framework="meddic") == {}
        assert feedback.tally(session=session, team_id="T2") == {}
        assert (
            feedback.verdict_language(session=session, team_id="T1", verdict_id=verdict_id) == "en"
        )
        assert (
            feedback.verdict_language(session=session, team_id="T2", verdict_id=verdict_id) is None
        )


def test_a_vote_on_another_teams_verdict_is_refused(
    engine: Engine,
    make_qualification: Callable[..., Qualification],
    verdict_factory: Callable[..., VerdictResult],
) -> None:
    verdict_id, _ = _verdict_id(engine, make_qualification, verdict_factory)
    with session_scope(engine) as session, pytest.raises(LookupError):
        feedback.record_vote(
            session=session, team_id="T2", verdict_id=verdict_id, user_id="U_A", right=True
        )


def test_the_thread_link_is_kept_without_a_new_version(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    qualification = make_qualification()
    assert qualification.id is not None
    link = "https://example.slack.com/archives/C_SALES/p1700000000000100"
    with session_scope(engine) as session:
        cards.remember_thread_link(
            session=session, team_id="T1", qualification_id=qualification.id, link=link
        )
        cards.remember_thread_link(
            session=session, team_id="T2", qualification_id=qualification.id, link="elsewhere"
        )
    with session_scope(engine) as session:
        stored = get_qualification_by_id(
            session=session, team_id="T1", qualification_id=qualification.id
        )
        assert stored is not None
        assert stored.thread_link == link and stored.version == qualification.version
