"""The one metadata event a post carries: its outbox id stays findable whatever the event."""

from __future__ import annotations

from bot.services import message_metadata as mm


def test_the_outbox_id_joins_the_staged_event_or_the_plain_one() -> None:
    staged = {"event_type": mm.LEAD_QUALIFIED, "event_payload": {"lead_id": 3, "score": 90}}
    posted = mm.with_outbox_id(staged, 41)
    assert posted == {
        "event_type": mm.LEAD_QUALIFIED,
        "event_payload": {"lead_id": 3, "score": 90, "id": 41},
    }
    assert "id" not in staged["event_payload"]  # the staged payload is left as it was
    assert mm.with_outbox_id(None, 7) == {"event_type": mm.OUTBOX_EVENT, "event_payload": {"id": 7}}
    # An event type that is not ours is not passed on as if it were.
    foreign = {"event_type": "task_created", "event_payload": {"id": "TK-1"}}
    assert mm.with_outbox_id(foreign, 8)["event_type"] == mm.OUTBOX_EVENT


def test_a_post_is_recognised_by_its_id_under_any_of_our_event_types() -> None:
    for event_type in (mm.OUTBOX_EVENT, mm.LEAD_QUALIFIED, mm.HANDOFF_DECIDED):
        metadata = {"event_type": event_type, "event_payload": {"id": 12, "lead_id": 4}}
        assert mm.names_outbox_message(metadata, 12)
        assert not mm.names_outbox_message(metadata, 13)
    assert not mm.names_outbox_message(
        {"event_type": "task_created", "event_payload": {"id": 12}}, 12
    )
    assert not mm.names_outbox_message({"event_type": mm.OUTBOX_EVENT, "event_payload": []}, 12)
    assert not mm.names_outbox_message(None, 12)
