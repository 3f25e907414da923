"""Retention through the running bot's scheduler: evidence past the team's limit is emptied
once a day, younger evidence is left alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_qualification import HOT_BANT
from tests.workflow.conftest import WORKFLOW_CONFIG, WorkflowRig, make_workflow_rig

DAY = 24 * 60


@pytest.fixture
def short_rig(tmp_path: Path) -> Iterator[WorkflowRig]:
    config = WORKFLOW_CONFIG + "retention: {evidence_days: 30, engagement_days: 30}\n"
    yield from make_workflow_rig(tmp_path, config=config)


def test_scheduler_redacts_evidence_past_the_limit_and_nothing_newer(
    short_rig: WorkflowRig,
) -> None:
    rig = short_rig
    card_ts = rig.qualify("Retention Test GmbH")
    for answer in HOT_BANT:
        rig.reply(card_ts, answer)
    rig.wait(lambda: rig.sql("SELECT 1 FROM verdict_record"))

    younger = rig.tick(advance_minutes=20 * DAY)
    assert younger["retention"] == 0
    assert sorted(t for (t,) in rig.sql("SELECT text FROM answer")) == sorted(HOT_BANT)

    # The same day again does nothing; a day past the limit empties the words, keeps readings.
    assert rig.tick(advance_minutes=1)["retention"] == 0
    older = rig.tick(advance_minutes=11 * DAY)
    assert older["retention"] == len(HOT_BANT)
    assert rig.sql("SELECT DISTINCT text, status FROM answer") == [("", "met")]
    assert rig.sql("SELECT verdict FROM verdict_record") == [("hot",)]
    assert rig.sql("SELECT count(*) FROM audit_event WHERE action = 'privacy.retention'") == [(1,)]
    conversation = rig.sql("SELECT conversation FROM qualification")[0][0]
    assert not [answer for answer in HOT_BANT if answer in conversation]
