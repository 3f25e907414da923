"""Slack's request signature (``v0``): an HMAC-SHA256 over the timestamp and the raw body."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_VERSION = "v0"


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def sign(secret: str, timestamp: str | int, body: bytes | str) -> str:
    """Compute the ``X-Slack-Signature`` value Slack would send.

    Args:
        secret: The app's signing secret.
        timestamp: The ``X-Slack-Request-Timestamp`` value (seconds since the epoch).
        body: The raw request body, exactly as it goes on the wire.

    Returns:
        ``"v0=<hex digest>"``.
    """
    base = f"{SIGNATURE_VERSION}:{timestamp}:".encode() + _as_bytes(body)
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signed_headers(
    secret: str,
    body: bytes | str,
    *,
    timestamp: str | int | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    """Build the header set of a signed Slack request.

    Args:
        secret: The app's signing secret.
        body: The raw request body.
        timestamp: The timestamp to sign with; the current time when omitted. Pass an old one
            to test that the receiver refuses stale requests.
        content_type: The body's content type.

    Returns:
        Headers with ``Content-Type``, ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature``.
    """
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret, stamp, body),
    }
