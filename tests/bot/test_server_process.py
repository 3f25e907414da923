"""The server's process set-up: logging without the two lines per step that ``transitions``
logs at INFO or the debug lines slack_sdk would format on every Web API call."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.server import SLACK_SDK_CLIENT_LOGGERS, configure_logging


def test_state_machine_chatter_is_left_out_and_its_warnings_kept() -> None:
    transitions = logging.getLogger("transitions")
    level = transitions.level
    try:
        configure_logging()
        assert not transitions.isEnabledFor(logging.INFO)
        assert transitions.isEnabledFor(logging.WARNING)
    finally:
        transitions.setLevel(level)


def test_web_api_clients_do_not_format_debug_lines_that_would_be_dropped() -> None:
    loggers = [logging.getLogger(name) for name in SLACK_SDK_CLIENT_LOGGERS]
    levels = [logger.level for logger in loggers]
    try:
        configure_logging()
        client_logger = AsyncWebClient(token="xoxb-test").logger
        assert client_logger in loggers
        # slack_sdk compares the logger's own level with DEBUG before it builds its lines.
        assert client_logger.level > logging.DEBUG
        assert client_logger.isEnabledFor(logging.WARNING)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
