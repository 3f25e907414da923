"""User text shown once and right: unescaped on the way in, escaped once in mrkdwn only."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.simulator.bridge import as_typed_in_slack
from tests.e2e.conftest import ALERT_CHANNEL, CHANNEL, REP, Rig

LEAD = "Procter & Gamble <EU>"
SHOWN = "Procter &amp; Gamble &lt;EU&gt;"  # mrkdwn: escaped exactly once
ANSWERS = [
    "€40,000 set aside & approved",
    "Dana decides & signs",
    "Clear pain: our CRM <legacy> loses leads every week",
    "This quarter",
]


def _everything(message: dict) -> str:
    return json.dumps(
        {"text": message.get("text"), "blocks": message.get("blocks")}, ensure_ascii=False
    )


def _no_double_escape(text: str) -> None:
    assert "&amp;amp;" not in text and "&amp;lt;" not in text and "&amp;gt;" not in text


def _command(rig: Rig, name: str, text: str) -> str:
    response = rig.sender.command(name, as_typed_in_slack(text), user_id=REP, channel_id=CHANNEL)
    assert response.status_code == 200
    return response.text


def test_a_lead_with_ampersand_and_brackets_reads_right_everywhere(rig: Rig) -> None:
    card_ts = rig.qualify(as_typed_in_slack(LEAD))
    for answer in ANSWERS:
        rig.reply(card_ts, as_typed_in_slack(answer))
    alert = rig.wait(lambda: next(iter(rig.bot_messages(ALERT_CHANNEL)), None))
    rig.wait(lambda: "hot" in _everything(rig.card(card_ts)).lower())
    card = rig.card(card_ts)

    for message in [card, alert, *rig.bot_messages(CHANNEL, card_ts)]:
        _no_double_escape(_everything(message))
    assert SHOWN in _everything(card) and SHOWN in _everything(alert)
    verdict = rig.bot_messages(CHANNEL, card_ts)[-1]
    assert SHOWN in verdict["text"]
    # The rep's words are shown as typed, escaped once.
    assert "CRM &lt;legacy&gt; loses" in _everything(verdict) or "&lt;legacy&gt;" in _everything(
        alert
    )

    status = _command(rig, "/lead", f"status {LEAD}")
    assert SHOWN in status
    _no_double_escape(status)
    listing = _command(rig, "/lead", "list hot")
    assert SHOWN in listing
    _no_double_escape(listing)

    rig.sender.app_home_opened(REP)
    published = rig.wait(lambda: rig.standin.calls("views.publish"))
    home = json.dumps(published[-1].args["view"], ensure_ascii=False)
    assert SHOWN in home
    _no_double_escape(home)

    env = {**os.environ, "DATABASE_URL": rig.database_url}
    env.pop("SDRBOT_CONFIG", None)
    exported = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--format", "csv"],
        capture_output=True, text=True, env=env, cwd=Path(rig.database_url[10:]).parent,
        timeout=120,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["name"] for row in rows] == [LEAD]


def test_answers_are_stored_as_typed_and_a_typed_broadcast_stays_inert(rig: Rig) -> None:
    card_ts = rig.qualify("Initech")
    # A live token as Slack delivers it (a real @channel) and a typed one, escaped by Slack.
    rig.reply(card_ts, "<!channel> we have 50k & it is approved &lt;!here&gt;")
    for message in rig.bot_messages(CHANNEL, card_ts):
        text = _everything(message)
        assert "<!channel>" not in text and "<!here>" not in text
        _no_double_escape(text)
    echoed = _everything(rig.bot_messages(CHANNEL, card_ts)[-1])
    assert "&lt;!channel&gt;" in echoed and "50k &amp; it is" in echoed


def test_help_texts_show_their_placeholders(rig: Rig) -> None:
    helped = _command(rig, "/lead", "help")
    assert "/lead status &lt;lead&gt;" in helped
    usage = _command(rig, "/qualify", "")
    assert "&lt;lead name&gt;" in usage
