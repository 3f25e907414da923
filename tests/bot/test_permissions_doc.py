"""docs/PERMISSIONS.md shows the matrix that bot/permissions.py enforces, row for row."""

from __future__ import annotations

from pathlib import Path

from bot.permissions import MATRIX, REFUSALS, Action, Actor, Role, Subject, permits
from bot.rendering import TextBook

DOC = Path(__file__).resolve().parents[2] / "docs" / "PERMISSIONS.md"


def test_every_action_has_a_row_in_the_doc_and_in_the_matrix() -> None:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    for action in Action:
        assert action in MATRIX
        assert [r for r in rows if f"(`{action.value}`)" in r], action


def test_every_refusal_is_worded_in_both_languages() -> None:
    for lang in ("en", "de"):
        texts = TextBook()[lang]
        for template in REFUSALS.values():
            assert texts.has(template), (lang, template)


def test_the_rep_is_never_in_a_channel_pool_for_their_own_lead() -> None:
    rep = Actor(user_id="UREP", channels=frozenset({"CALERT"}), complete=True)
    other = Actor(user_id="UAE", channels=frozenset({"CALERT"}), complete=True)
    subject = Subject(rep_id="UREP", pool_channel="CALERT")
    assert not permits(Action.DECIDE_HANDOFF, rep, subject)
    assert permits(Action.DECIDE_HANDOFF, other, subject)
    assert Role.AE_POOL in MATRIX[Action.DECIDE_HANDOFF]
