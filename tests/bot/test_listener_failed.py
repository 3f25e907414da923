"""What Slack gets when a listener raises: 503 and one line when the database is away, 500 and
the traceback for a fault of ours; never a 2xx, so Slack delivers the request again."""

from __future__ import annotations

import asyncio
import logging
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from bot.app import listener_failed

EVENT = {"type": "event_callback", "event": {"type": "message"}}


def test_an_unreachable_database_answers_503_with_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = OperationalError("SELECT 1", {}, sqlite3.OperationalError("unable to open\ndetail"))
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        response = asyncio.run(listener_failed(error, EVENT))
    assert response.status == 503
    (record,) = caplog.records
    assert record.exc_info is None
    assert "event_callback" in record.getMessage()
    assert "detail" not in record.getMessage()


def test_a_fault_of_ours_answers_500_and_keeps_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        response = asyncio.run(listener_failed(KeyError("channel"), {"command": "/qualify"}))
    assert response.status == 500
    (record,) = caplog.records
    assert record.exc_info is not None and "/qualify" in record.getMessage()
