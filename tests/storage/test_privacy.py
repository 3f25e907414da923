"""Access, erasure and retention on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, func, inspect, select, update

from bot.config import TeamConfig
from bot.services.privacy import apply_retention
from flows.model import Status
from storage import (
    engagement,
    handoffs,
    outbox,
    phrases,
    privacy,
    privacy_record,
    qualifications,
    retention,
)
from storage.db import session_scope
from storage.events import record_audit
from storage.leads import update_lead
from storage.models import (
    Answer,
    AnswerCreate,
    AuditEvent,
    EngagementEvent,
    Lead,
    OutboxMessage,
    Qualification,
    VerdictRecord,
    utcnow,
)

NAME = "Brightwater Analytics"
SECRET_WORDS = ["Ingrid Vasquez signs everything", "hq budget 90k from Ingrid"]


class _Criterion:
    key = concept = "authority"


def _seed(engine: Engine, make_qualification: Callable[..., Qualification], verdict: Any) -> int:
    q = make_qualification(lead_name=NAME, thread_ts="1700000000.000100")
    other = make_qualification(lead_name="Unrelated Co", thread_ts="1700000000.000900")
    with session_scope(engine) as session:
        row = session.get(Qualification, q.id)
        assert row is not None
        update_lead(
            session=session, team_id="T1", lead_id=row.lead_id, email="ingrid@brightwater.io"
        )
        for criterion, words in zip(("authority", "budget"), SECRET_WORDS, strict=True):
            qualifications.save_step(
                session=session,
                qualification=row,
                expected_version=row.version,
                machine_state="done",
                conversation={
                    "framework": "bant",
                    "state": "done",
                    "answers": {criterion: {"status": "met", "value": {"n": 1}, "evidence": words}},
                },
                status="done",
                answer=AnswerCreate(criterion=criterion, text=words, status="met", value={"n": 1}),
                verdict=verdict() if criterion == "budget" else None,
                actor_id="U_REP",
            )
        phrases.learn_phrase(
            session=session,
            team_id="T1",
            criterion=_Criterion(),  # type: ignore[arg-type]
            text=SECRET_WORDS[0],
            status=Status.MET,
            created_by="U_REP",
        )
        handoff = handoffs.create_handoff(
            session=session,
            team_id="T1",
            lead_id=row.lead_id,
            qualification_id=row.id,
            alert_channel="C_ALERT",
        )
        handoff.alert_ts = "1700000001.000100"
        handoffs.decide_handoff(
            session=session,
            handoff=handoff,
            status="rejected",
            decided_by="U_AE",
            reason="Ingrid Vasquez left the company",
        )
        engagement.add_event(
            session=session,
            team_id="T1",
            lead_id=row.lead_id,
            event_type="site_revisit",
            points=5,
            occurred_at=utcnow(),
        )
        posts = [
            ("card", {"channel": "C_SALES", "text": f"Qualifying {NAME}"}),
            ("question", {"channel": "C_SALES", "thread_ts": row.thread_ts, "text": "Q2"}),
            ("alert", {"channel": "C_ALERT", "text": f"Hot: {NAME}"}),
            ("other", {"channel": "C_SALES", "text": "Qualifying Unrelated Co"}),
        ]
        for n, (key, payload) in enumerate(posts):
            message = outbox.enqueue(
                session=session,
                team_id="T1",
                method="chat.postMessage",
                payload=payload,
                dedupe_key=key,
            )
            assert message is not None and message.id is not None
            result = {"channel": payload["channel"], "ts": f"1700000002.00000{n}"}
            outbox.mark_sent(session=session, message_id=message.id, result=result)
        outbox.enqueue(
            session=session,
            team_id="T1",
            method="sdrbot.dm",
            payload={"user": "U_AE", "text": f"{NAME}: {SECRET_WORDS[1]}"},
            dedupe_key="dm-pending",
        )
        outbox.enqueue(
            session=session,
            team_id="T1",
            method="webhook",
            payload={"url": "https://crm.example/hook", "data": {"lead": NAME}},
            dedupe_key="webhook-pending",
        )
        outbox.enqueue_claimed_many(
            session=session,
            team_id="T1",
            calls=[("chat.postMessage", {"channel": "C_X", "text": f"{NAME} is hot"}, "sending")],
            worker_id="outbox-test",
            now=utcnow(),
            lease_seconds=30,
        )
        assert other.id is not None
        return row.lead_id


def _text_hits(engine: Engine, words: list[str]) -> list[str]:
    hits = []
    inspector = inspect(engine)
    with engine.connect() as connection:
        for table_name in inspector.get_table_names():
            for row in connection.exec_driver_sql(f'SELECT * FROM "{table_name}"'):
                seen = " ".join(str(v) for v in row).casefold()
                hits += [f"{table_name}: {w}" for w in words if w.casefold() in seen]
    return hits


def test_erase_leaves_no_personal_data_and_keeps_the_counts(
    engine: Engine, make_qualification: Callable[..., Qualification], verdict_factory: Any
) -> None:
    lead_id = _seed(engine, make_qualification, verdict_factory)
    words = [NAME, "ingrid", "brightwater"]
    assert _text_hits(engine, words)
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        record = privacy_record.lead_record(session=session, team_id="T1", lead=lead)
        assert [a["text"] for a in record["qualifications"][0]["answers"]] == SECRET_WORDS
        assert record["handoffs"][0]["reason"] == "Ingrid Vasquez left the company"
        assert len(record["engagement_events"]) == 1
        # card, question, alert, the pending DM and webhook, the post being sent
        assert len(record["bot_messages"]) == 6
        erasure = privacy.erase_lead(session=session, team_id="T1", lead=lead)
    assert sorted(erasure.slack_posts) == [
        ("C_ALERT", "1700000002.000002"),
        ("C_SALES", "1700000002.000000"),
        ("C_SALES", "1700000002.000001"),
    ]
    assert erasure.in_flight == 1
    assert not _text_hits(engine, words)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Answer)) == 2
        statuses = session.scalars(select(Answer.status)).all()
        assert set(statuses) == {"met"}
        assert session.scalar(select(func.count()).select_from(VerdictRecord)) == 1
        assert session.scalar(select(func.count()).select_from(EngagementEvent)) == 0
        dm = session.scalars(select(OutboxMessage).where(OutboxMessage.method == "sdrbot.dm"))
        assert dm.one().status == "failed"
        hook = session.scalars(select(OutboxMessage).where(OutboxMessage.method == "webhook"))
        assert hook.one().status == "failed"
        other = session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == "other"))
        assert other.one().payload["text"] == "Qualifying Unrelated Co"
        lead = session.get(Lead, lead_id)
        assert lead is not None and privacy.is_erased(lead) and lead.stage == "nurture"
        redaction = outbox.enqueue(
            session=session,
            team_id="T1",
            method="chat.update",
            payload={"channel": "C_SALES", "ts": "1700000002.000000", "text": "removed"},
            dedupe_key=f"{privacy.REDACTION_KEY_PREFIX}C_SALES:1700000002.000000",
        )
        assert redaction is not None
        again = privacy.erase_lead(session=session, team_id="T1", lead=lead)
        # A repeat finds the emptied posts again and leaves the queued redaction alone.
        assert sorted(again.slack_posts) == sorted(erasure.slack_posts)
        assert redaction.status == "pending" and redaction.payload["text"] == "removed"


def test_a_name_matching_several_leads_finds_them_all(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    make_qualification(lead_name="Acme North", thread_ts="1.1")
    make_qualification(lead_name="Acme South", thread_ts="1.2")
    make_qualification(lead_name="Acme_", thread_ts="1.3")
    with session_scope(engine) as session:
        found = privacy.matching_leads(session=session, team_id="T1", query="acme")
        assert sorted(lead.name for lead in found) == ["Acme North", "Acme South", "Acme_"]
        found = privacy.matching_leads(session=session, team_id="T1", query="acme south")
        assert [lead.name for lead in found] == ["Acme South"]
        assert privacy.matching_leads(session=session, team_id="T1", query="acme_") != []
        assert privacy.matching_leads(session=session, team_id="T2", query="acme") == []
        update_lead(session=session, team_id="T1", lead_id=found[0].id, domain="acme-south.com")
        by_domain = privacy.matching_leads(
            session=session, team_id="T1", query="https://www.Acme-South.com/about"
        )
        assert [lead.name for lead in by_domain] == ["Acme South"]


def test_retention_redacts_only_what_is_older_than_the_limit(
    engine: Engine, make_qualification: Callable[..., Qualification]
) -> None:
    q = make_qualification(lead_name="Old And New")
    now = utcnow()
    with session_scope(engine) as session:
        for days, words in ((400, "old words of a prospect"), (10, "new words of a prospect")):
            session.add(
                Answer(
                    team_id="T1",
                    qualification_id=q.id,
                    criterion="need",
                    text=words,
                    status="met",
                    answered_at=now - timedelta(days=days),
                )
            )
            engagement.add_event(
                session=session,
                team_id="T1",
                lead_id=q.lead_id,
                event_type="site_revisit",
                points=5,
                occurred_at=now - timedelta(days=days),
            )
            record_audit(session=session, team_id="T1", actor_id="U", action="x")
            newest = session.scalar(select(func.max(AuditEvent.id)))
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.id == newest)
                .values(created_at=now - timedelta(days=days * 2))
            )
    config = TeamConfig.model_validate(
        {"retention": {"evidence_days": 365, "engagement_days": 180, "audit_days": 30}}
    )
    with session_scope(engine) as session:
        assert apply_retention(session, config=config, now=now) == 3  # answer, event, audit
    with session_scope(engine) as session:
        texts = sorted(session.scalars(select(Answer.text)).all())
        assert texts == ["", "new words of a prospect"]
        assert len(session.scalars(select(EngagementEvent)).all()) == 1
        # Audit is kept a year even though the config asks for 30 days.
        kept = session.scalars(select(AuditEvent).where(AuditEvent.action == "x")).all()
        assert [e.created_at > now - timedelta(days=365) for e in kept] == [True]
        assert session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "privacy.retention")
        ).one()
        since = list(
            retention.audit_since(session=session, team_id="T1", since=now - timedelta(days=30))
        )
        assert [e.action for e in since] == ["x", "qualification.start", "privacy.retention"]
    with session_scope(engine) as session:
        assert apply_retention(session, config=config, now=now) == 0  # nothing left to do


def test_a_name_is_found_in_messages_as_a_whole_word_only() -> None:
    footprint = privacy.Footprint(1, needles=["acme"])
    assert footprint.quoted_in({"text": "Qualifying *Acme* with BANT"}, None)
    assert footprint.quoted_in({"text": "Hot: ACME &amp; Sons"}, None)
    assert not footprint.quoted_in({"text": "Qualifying Acmeware with BANT"}, None)
    assert privacy.Footprint(1, threads={("C1", "1.2")}).quoted_in(
        {"channel": "C1", "thread_ts": "1.2"}, None
    )
