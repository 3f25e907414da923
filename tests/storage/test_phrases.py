"""The phrasebook table on SQLite and PostgreSQL: learn, replace, scope by team, list, prune."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from flows.config import load_frameworks
from flows.model import Status
from storage.db import session_scope
from storage.phrases import learn_phrase, list_phrases, load_phrasebook, prune_phrases

BANT = load_frameworks()["bant"]
CHAMP = load_frameworks()["champ"]
BUDGET = BANT.criterion("budget")
AUTHORITY = BANT.criterion("authority")
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _learn(engine: Engine, team: str, text: str, status: Status, *, criterion=BUDGET, **kw) -> bool:
    with session_scope(engine) as session:
        return learn_phrase(
            session=session,
            team_id=team,
            criterion=criterion,
            text=text,
            status=status,
            created_by=kw.pop("created_by", "U1"),
            **kw,
        )


def test_a_phrase_is_learned_in_key_form_with_who_and_when(engine: Engine) -> None:
    assert _learn(engine, "T1", "  PO is RAISED! ", Status.MET, value={"amount": 5.0}, now=T0)
    with session_scope(engine) as session:
        (row,) = list_phrases(session=session, team_id="T1")
        assert (row.topic, row.phrase, row.status, row.value) == (
            "budget",
            "po is raised",
            "met",
            {"amount": 5.0},
        )
        assert (row.created_by, row.created_at) == ("U1", T0)
        book = load_phrasebook(session=session, team_id="T1")
    phrase = book.lookup(CHAMP.criterion("money"), "PO is raised, all good")
    assert phrase is not None and phrase.status is Status.MET


def test_a_newer_correction_of_the_same_phrase_and_topic_replaces_the_older(
    engine: Engine,
) -> None:
    _learn(engine, "T1", "Steerco signs", Status.MET, criterion=AUTHORITY, now=T0)
    _learn(
        engine,
        "T1",
        "steerco signs",
        Status.PARTIAL,
        criterion=AUTHORITY,
        created_by="U2",
        now=T0 + timedelta(hours=1),
    )
    _learn(engine, "T1", "steerco signs", Status.MISSING, criterion=BUDGET, now=T0)
    with session_scope(engine) as session:
        rows = list_phrases(session=session, team_id="T1")
        assert sorted((r.topic, r.status, r.created_by) for r in rows) == [
            ("authority", "partial", "U2"),
            ("budget", "missing", "U1"),
        ]


def test_phrases_belong_to_the_workspace_that_taught_them(engine: Engine) -> None:
    _learn(engine, "T1", "the usual q-end crunch", Status.PARTIAL)
    with session_scope(engine) as session:
        assert load_phrasebook(session=session, team_id="T2").phrases == ()
        assert len(load_phrasebook(session=session, team_id="T1").phrases) == 1


def test_long_passages_are_not_learned(engine: Engine) -> None:
    assert not _learn(engine, "T1", " ".join(["word"] * 40), Status.MET)
    assert not _learn(engine, "T1", "   ", Status.MET)
    with session_scope(engine) as session:
        assert list_phrases(session=session, team_id="T1") == []


def test_prune_by_id_age_and_topic_within_one_team(engine: Engine) -> None:
    _learn(engine, "T1", "old budget words", Status.MET, now=T0 - timedelta(days=40))
    _learn(engine, "T1", "new budget words", Status.MET, now=T0)
    _learn(engine, "T1", "board signs", Status.MET, criterion=AUTHORITY, now=T0)
    _learn(engine, "T2", "old budget words", Status.MET, now=T0 - timedelta(days=40))
    with session_scope(engine) as session:
        assert prune_phrases(session=session, team_id="T1", older_than=T0 - timedelta(days=30)) == 1
        board = next(
            r for r in list_phrases(session=session, team_id="T1") if r.topic == "authority"
        )
        assert board.id is not None
        assert prune_phrases(session=session, team_id="T2", ids=[board.id]) == 0
        assert prune_phrases(session=session, team_id="T1", ids=[board.id]) == 1
        assert prune_phrases(session=session, team_id="T1", topic="budget") == 1
        assert list_phrases(session=session, team_id="T1") == []
        assert len(list_phrases(session=session, team_id="T2")) == 1
        with pytest.raises(ValueError):
            prune_phrases(session=session, team_id="T2")
