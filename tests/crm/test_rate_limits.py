"""How long a HubSpot 429 asks us to wait, from its headers and body."""

from __future__ import annotations

import httpx

from bot.crm.hubspot_api import DAILY_WAIT_SECONDS, DEFAULT_WAIT_SECONDS, wait_of


def _429(headers: dict[str, str], body: dict | None = None) -> httpx.Response:
    return httpx.Response(429, headers=headers, json=body or {"status": "error"})


def test_retry_after_wins() -> None:
    headers = {"Retry-After": "7", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    assert wait_of(_429(headers)) == 7.0


def test_the_rolling_window_is_waited_out_when_nothing_else_is_named() -> None:
    headers = {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    assert wait_of(_429(headers)) == 10.0


def test_the_daily_limit_waits_an_hour() -> None:
    body = {"status": "error", "errorType": "RATE_LIMIT", "policyName": "DAILY"}
    assert wait_of(_429({}, body)) == DAILY_WAIT_SECONDS
    assert wait_of(_429({"X-HubSpot-RateLimit-Daily-Remaining": "0"})) == DAILY_WAIT_SECONDS


def test_a_bare_429_waits_a_second() -> None:
    assert wait_of(_429({"Retry-After": "soon"})) == DEFAULT_WAIT_SECONDS
