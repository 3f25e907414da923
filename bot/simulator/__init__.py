"""The local workspace simulator: a Slack-like page driving the real bot on loopback."""

from bot.simulator.runner import Simulator, run_simulator

__all__ = ["Simulator", "run_simulator"]
