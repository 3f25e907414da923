"""The server's logging leaves out the two lines per step that ``transitions`` logs at INFO."""

from __future__ import annotations

import logging

from bot.server import configure_logging


def test_state_machine_chatter_is_left_out_and_its_warnings_kept() -> None:
    transitions = logging.getLogger("transitions")
    level = transitions.level
    try:
        configure_logging()
        assert not transitions.isEnabledFor(logging.INFO)
        assert transitions.isEnabledFor(logging.WARNING)
    finally:
        transitions.setLevel(level)
