"""A stand-in for Slack: a Web API server on loopback and a sender of signed requests."""

from bot.standin.responses import ResponseTarget
from bot.standin.sender import AsyncSlackSender, SlackSender
from bot.standin.server import RecordedCall, SlackStandIn
from bot.standin.signing import sign, signed_headers

__all__ = [
    "AsyncSlackSender",
    "RecordedCall",
    "ResponseTarget",
    "SlackSender",
    "SlackStandIn",
    "sign",
    "signed_headers",
]
