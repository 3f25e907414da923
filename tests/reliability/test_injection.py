"""Mrkdwn injection: live Slack tokens and links typed by users (in lead names, answers and reject
reasons) never come back live in anything the bot sends: message text, every mrkdwn text object
of blocks (sections, fields, context), attachments, modals, the Home tab, command answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from bot.standin.server import SlackStandIn
from tests.reliability.conftest import AE, ALERT_CHANNEL, REP, AsgiBot, Database
from tests.reliability.inproc import Workspace

TOKENS = "<!channel> <!here> <!subteam^S1> <@U123> <https://evil.example|click> *bold* _it_"
LIVE = re.compile(r"<!channel|<!here|<!everyone|<!subteam|<@U123|<https?://evil|<mailto:")
"""A token that pings or links when it reaches Slack unescaped (the bot's own mentions of
the rep and the account executive are legitimate and not matched)."""


def _mrkdwn_texts(value: Any, *, top: bool = True) -> Iterator[str]:
    """Every string of ``value`` that Slack renders as mrkdwn.

    That is a message's (or attachment's) ``text`` and ``pretext``, attachment field values,
    and every text object of type ``mrkdwn``; ``plain_text`` objects render tokens inert.
    """
    if isinstance(value, list):
        for item in value:
            yield from _mrkdwn_texts(item, top=False)
        return
    if not isinstance(value, dict):
        return
    if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
        yield value["text"]
    if top or "fallback" in value or "pretext" in value:  # a message or an attachment
        for key in ("text", "pretext"):
            if isinstance(value.get(key), str):
                yield value[key]
    for field in value.get("fields") or []:
        if isinstance(field, dict) and isinstance(field.get("value"), str):
            yield field["value"]
    for key, item in value.items():
        if key in ("blocks", "attachments", "fields", "elements", "view", "accessory"):
            yield from _mrkdwn_texts(_decoded(item), top=False)
        elif key == "text" and isinstance(item, dict):
            yield from _mrkdwn_texts(item, top=False)


def _decoded(value: Any) -> Any:
    """Views and blocks may travel as JSON strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _live_tokens(standin: SlackStandIn, answers: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for call in standin.calls():
        for text in _mrkdwn_texts(call.args):
            if LIVE.search(text):
                found.append((call.method, text[:200]))
    for answer in answers:
        if LIVE.search(answer):
            found.append(("command answer", answer[:200]))
    return found


def _button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(
        e
        for block in message["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
        if e["action_id"] == action_id
    )


def test_user_text_never_reaches_slack_as_a_live_token(
    asgi_bot: tuple[AsgiBot, Database], standin: SlackStandIn
) -> None:
    bot, database = asgi_bot
    workspace = Workspace(bot, standin, database)
    hot = ["Budget approved", "Contact decides", "Clear pain", "This quarter"]
    accepted_lead = f"Acme {TOKENS} Corp"
    rejected_lead = f"Initech {TOKENS} Inc"
    answers: list[str] = []

    for lead, channel in ((accepted_lead, "CINJ1"), (rejected_lead, "CINJ2")):
        card_ts = workspace.qualify(lead, channel)
        for number, answer in enumerate(hot):
            workspace.wait(lambda n=number, c=channel, ts=card_ts: len(workspace.thread(c, ts)) > n)
            workspace.reply(channel, card_ts, f"{answer} {TOKENS}")
    alerts = workspace.wait(
        lambda: (
            [m for m in standin.messages(ALERT_CHANNEL) if m.get("bot_id")]
            if len([m for m in standin.messages(ALERT_CHANNEL) if m.get("bot_id")]) >= 2
            else None
        )
    )
    by_lead = {("Acme" if "Acme" in m["text"] else "Initech"): m for m in alerts}

    accept = _button(by_lead["Acme"], "handoff_accept")
    workspace.send(
        workspace.payloads.block_action(
            "handoff_accept",
            accept["value"],
            user_id=AE,
            channel_id=ALERT_CHANNEL,
            message_ts=by_lead["Acme"]["ts"],
        )
    )
    reject = _button(by_lead["Initech"], "handoff_reject")
    workspace.send(
        workspace.payloads.block_action(
            "handoff_reject",
            reject["value"],
            user_id=AE,
            channel_id=ALERT_CHANNEL,
            message_ts=by_lead["Initech"]["ts"],
        )
    )
    opened = workspace.wait(lambda: standin.calls("views.open"))
    view = _decoded(opened[0].args["view"])
    submitted = workspace.send(
        workspace.payloads.view_submission(
            "reject_handoff",
            {"reason_block": {"reason_input": f"No budget {TOKENS}"}},
            user_id=AE,
            private_metadata=view["private_metadata"],
        )
    )
    assert submitted.status_code == 200
    for text in ("status Acme", "status Initech", "list", "list hot", "help"):
        response = workspace.send(
            workspace.payloads.command("/lead", text, user_id=REP, channel_id="CINJ1")
        )
        answers.append(response.text)
    workspace.send(workspace.payloads.app_home_opened(REP))
    # The decisions' messages (DM, summary, manager notice, reason to the rep) go out.
    workspace.wait(lambda: any("No budget" in json.dumps(c.args) for c in standin.calls()))
    workspace.wait(lambda: standin.calls("views.publish"), timeout=5.0)
    workspace.bot.settle(1.0)

    scanned = sum(1 for call in standin.calls() for _ in _mrkdwn_texts(call.args))
    assert scanned > 40  # the scan really read the posts, updates, view and home
    assert any("evil.example" in json.dumps(c.args) for c in standin.calls("chat.postMessage"))
    assert _live_tokens(standin, answers) == []
    assert not any("link_names" in json.dumps(c.args) for c in standin.calls())


def test_the_scan_reads_every_mrkdwn_place_and_skips_plain_text() -> None:
    message = {
        "text": "top <!here>",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "section <!channel>"}},
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "field <@U123>"}]},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "ctx <!subteam^S1>"}]},
            {"type": "header", "text": {"type": "plain_text", "text": "<!channel> inert"}},
        ],
        "attachments": [{"fallback": "f", "text": "att <https://evil.example|x>"}],
        "view": json.dumps(
            {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "v <!here>"}}]}
        ),
    }
    found = [text for text in _mrkdwn_texts(message) if LIVE.search(text)]
    assert sorted(t.split()[0] for t in found) == ["att", "ctx", "field", "section", "top", "v"]
