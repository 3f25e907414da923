"""JSON Web API calls against the stand-in: one request when it works, slack_sdk's errors when
Slack says no, slack_sdk's retries after a rate limit or a server error."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import web_api
from bot.app import create_client
from bot.settings import Settings
from bot.standin.server import SlackStandIn
from storage.db import json_text

T = TypeVar("T")
CHANNEL = "C_SALES"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn(missing_channels={"CGONE"}).start()
    yield server
    server.stop()


def _run(
    standin: SlackStandIn,
    work: Callable[[AsyncWebClient], Awaitable[T]],
    *,
    shared_session: bool = True,
    token: str = "xoxb-test",
) -> T:
    client = create_client(Settings(slack_bot_token=token, slack_api_url=standin.api_url))

    async def main() -> T:
        if not shared_session:
            return await work(client)
        async with aiohttp.ClientSession(json_serialize=json_text) as session:
            client.session = session
            return await work(client)

    return asyncio.run(main())


def _post(text: str, channel: str = CHANNEL) -> Callable[[AsyncWebClient], Awaitable[Any]]:
    payload = {"channel": channel, "text": text, "blocks": [{"type": "section", "text": {
        "type": "mrkdwn", "text": f"*{text}* <&>"}}]}  # fmt: skip
    return lambda client: web_api.call(client, "chat.postMessage", payload)


@pytest.mark.parametrize("shared_session", [True, False])
def test_a_post_is_one_request_and_answers_as_slack_sdk_does(
    standin: SlackStandIn, shared_session: bool
) -> None:
    def post(client: AsyncWebClient) -> Awaitable[Any]:
        if shared_session:
            # With the shared session a plain success never reaches slack_sdk's call path.
            client.api_call = None  # type: ignore[method-assign, assignment]
        return _post("Question 1 of 4")(client)

    response = _run(standin, post, shared_session=shared_session)
    assert response["ok"] is True and response.status_code == 200
    calls = standin.calls("chat.postMessage")
    assert [call.status for call in calls] == [200]
    stored = standin.messages(CHANNEL)
    assert [message["ts"] for message in stored] == [response["ts"]]
    assert stored[0]["text"] == "Question 1 of 4"
    assert stored[0]["blocks"][0]["text"]["text"] == "*Question 1 of 4* <&>"


def test_slack_saying_no_raises_slack_sdks_error_without_a_retry(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as raised:
        _run(standin, _post("lost", channel="CGONE"))
    assert raised.value.response["error"] == "channel_not_found"
    assert len(standin.calls("chat.postMessage")) == 1
    with pytest.raises(SlackApiError) as refused:
        _run(standin, _post("wrong token"), token="xoxb-wrong")
    assert refused.value.response["error"] == "invalid_auth"


def test_a_rate_limit_is_waited_out_and_retried_by_slack_sdk(standin: SlackStandIn) -> None:
    standin.set_faults(rate_limited=1.0, retry_after=0, methods={"chat.postMessage"})
    with pytest.raises(SlackApiError) as raised:
        _run(standin, _post("busy"))
    assert raised.value.response.status_code == 429
    # Our attempt, then slack_sdk's own attempt and its two retries (create_client's handler).
    assert [call.status for call in standin.calls("chat.postMessage")] == [429] * 4
    standin.set_faults()
    response = _run(standin, _post("calm again"))
    assert response["ok"] and standin.messages(CHANNEL)[-1]["text"] == "calm again"


def test_a_server_error_is_retried_by_slack_sdk_until_it_works(standin: SlackStandIn) -> None:
    standin.set_faults(server_error=1.0, methods={"chat.update"})

    async def update_once_slack_recovers(client: AsyncWebClient) -> Any:
        posted = await _post("card")(client)

        async def recover() -> None:
            await asyncio.sleep(0.3)
            standin.set_faults()

        recovering = asyncio.create_task(recover())
        payload = {"channel": CHANNEL, "ts": posted["ts"], "text": "card, done"}
        updated = await web_api.call(client, "chat.update", payload)
        await recovering
        return updated

    response = _run(standin, update_once_slack_recovers)
    statuses = [call.status for call in standin.calls("chat.update")]
    assert response["ok"] and statuses[0] == 500 and statuses[-1] == 200
    assert standin.messages(CHANNEL)[-1]["text"] == "card, done"
