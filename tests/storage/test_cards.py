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
    with session_scope(engine) as session:
        attached = cards.attach_card(
            session=session,
            team_id="T1",
            qualification_id=waiting.id,
            channel_id="C_SALES",
            card_ts="1700000000.000200",
        )
    assert attached
    with session_scope(engine) as session:
        loaded = load_step(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts="1700000000.000200"
        )
        assert loaded is not None
        assert (loaded[0].status, loaded[0].card_ts) == ("active", "1700000000.000200")
        # Keyed once: neither a second card nor giving up changes it any more.
        assert not cards.attach_card(
            session=session,
            team_id="T1",
            qualification_id=waiting.id,
            channel_id="C_SALES",
            card_ts="1700000000.000300",
        )
        cards.give_up(session=session, team_id="T1", qualification_id=waiting.id)
    with session_scope(engine) as session:
        kept = get_qualification(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts="1700000000.000200"
        )
        assert kept is not None and kept.status == "active"


def test_a_qualification_whose_card_never_came_is_given_up_and_cannot_be_keyed(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    waiting = _waiting(make_qualification, engine)
    assert waiting.id is not None
    with session_scope(engine) as session:
        cards.give_up(session=session, team_id="T1", qualification_id=waiting.id)
    with session_scope(engine) as session:
        assert not cards.attach_card(
            session=session,
            team_id="T1",
            qualification_id=waiting.id,
            channel_id="C_SALES",
            card_ts="1700000000.000200",
        )
        given_up = get_qualification(
            session=session, team_id="T1", channel_id="C_SALES", thread_ts=waiting.thread_ts
        )
        assert given_up is not None
        assert given_up.status == "cancelled" and given_up.finished_at is not None
