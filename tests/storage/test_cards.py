"""A qualification stored before its card: hidden while it waits, keyed by the card once it is
posted, cancelled when the card never comes, and each of those happens once."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from storage import cards
from storage.db import session_scope
from storage.models import Qualification, QualificationStatus
from storage.qualifications import (
    active_qualifications,
    get_qualification,
    load_step,
    open_qualification,
)


def _waiting(make_qualification: Callable[..., Qualification], engine: Engine) -> Qualification:
    qualification = make_qualification(
        thread_ts=cards.placeholder_thread(), status=QualificationStatus.STARTING
    )
    assert qualification.id is not None
    return qualification


def test_a_waiting_qualification_is_in_no_list_until_its_card_keys_it(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    waiting = _waiting(make_qualification, engine)
    assert waiting.id is not None
    with session_scope(engine) as session:
        assert active_qualifications(session=session, team_id="T1", rep_id="U_REP") == []
        lead_id = waiting.lead_id
        assert open_qualification(session=session, team_id="T1", lead_id=lead_id) is None
        # Another team's ids find nothing.
        assert cards.waiting(session=session, team_id="T2", qualification_id=waiting.id) is None
    with session_scope(engine) as session:
        found = cards.waiting(session=session, team_id="T1", qualification_id=waiting.id)
        assert found is not None
        cards.attach_card(
            session=session, qualification=found, channel_id="C_SALES", card_ts="1700000000.000200"
        )
    with session_scope(engine) as session:
        loaded = load_step(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts="1700000000.000200"
        )
        assert loaded is not None
        assert (loaded[0].status, loaded[0].card_ts) == ("active", "1700000000.000200")
        assert [
            q.id for q in active_qualifications(session=session, team_id="T1", rep_id="U_REP")
        ] == [waiting.id]
        # Keyed once: it waits no more, so neither a second card nor giving up can reach it.
        assert cards.waiting(session=session, team_id="T1", qualification_id=waiting.id) is None


def test_a_qualification_whose_card_never_came_is_given_up_and_cannot_be_keyed(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    waiting = _waiting(make_qualification, engine)
    assert waiting.id is not None
    with session_scope(engine) as session:
        found = cards.waiting(session=session, team_id="T1", qualification_id=waiting.id)
        assert found is not None
        cards.give_up(session=session, qualification=found)
    with session_scope(engine) as session:
        assert cards.waiting(session=session, team_id="T1", qualification_id=waiting.id) is None
        given_up = get_qualification(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts=waiting.thread_ts
        )
        assert given_up is not None
        assert given_up.status == "cancelled" and given_up.finished_at is not None
