"""The server's process set-up: logging without the two lines per step that ``transitions``
logs at INFO or the debug lines slack_sdk would format on every Web API call, and an
interpreter set up for serving (garbage collection, thread switching)."""

from __future__ import annotations

import gc
import logging
import sys

from slack_sdk.web.async_client import AsyncWebClient

from bot.server import (
    GC_THRESHOLDS,
    SLACK_SDK_CLIENT_LOGGERS,
    SWITCH_INTERVAL_SECONDS,
    configure_logging,
    tune_runtime,
)


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


def test_the_runtime_freezes_start_up_collects_less_often_and_switches_threads_sooner() -> None:
    thresholds, interval = gc.get_threshold(), sys.getswitchinterval()
    built_at_start_up = [{"template": index} for index in range(1000)]
    try:
        tune_runtime()
        assert gc.get_threshold() == GC_THRESHOLDS and GC_THRESHOLDS[0] > thresholds[0]
        assert gc.get_freeze_count() >= len(built_at_start_up)
        assert sys.getswitchinterval() == SWITCH_INTERVAL_SECONDS < interval
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        sys.setswitchinterval(interval)
