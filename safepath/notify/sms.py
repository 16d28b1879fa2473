"""SMS channels behind one interface. ``SAFEPATH_SMS_CHANNEL`` picks one:

- ``rapidpro``: RapidPro's broadcasts API (``POST {SAFEPATH_SMS_URL}/api/v2/broadcasts.json``
  with ``Authorization: Token {SAFEPATH_SMS_TOKEN}`` and ``{"urns": ["tel:..."], "text": ...}``),
  which TextIt and most RapidPro hosts answer; RapidPro sends through the country's aggregator.
- ``test``: keeps the messages in ``TestChannel.outbox`` (tests and demos), sends nothing.
- ``none`` (the default): no SMS; a delivery to it fails, visibly, rather than vanish.

A channel raises ``SendError`` when a message did not go; the caller retries with backoff.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings


class SendError(Exception):
    """A message did not go. ``detail`` is short and carries no message text."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class SmsChannel(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str


class TestChannel:
    """Sends nothing; what would have gone is in ``outbox`` (cleared by the tests)."""

    outbox: ClassVar[list[SentSms]] = []

    def send(self, *, to: str, text: str) -> None:
        TestChannel.outbox.append(SentSms(to=to, text=text))


class NoChannel:
    def send(self, *, to: str, text: str) -> None:
        raise SendError("no SMS channel is configured (SAFEPATH_SMS_CHANNEL)")


@dataclass(frozen=True)
class RapidProChannel:
    """RapidPro's broadcasts endpoint over HTTPS (HTTP only to the loopback address)."""

    base_url: str
    token: str
    timeout: float = 10.0

    def send(self, *, to: str, text: str) -> None:
        url = self.base_url.rstrip("/") + "/api/v2/broadcasts.json"
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise SendError("the SMS channel's URL must use HTTPS")
        body = json.dumps({"urns": [f"tel:{to}"], "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                status = answer.status
                payload = answer.read(65536)
        except urllib.error.HTTPError as error:
            raise SendError(f"the SMS channel answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SendError(
                f"the SMS channel could not be reached ({type(error).__name__})"
            ) from None
        if status not in (200, 201):
            raise SendError(f"the SMS channel answered HTTP {status}")
        try:
            answer_json = json.loads(payload)
        except ValueError:
            raise SendError("the SMS channel answered something that is not JSON") from None
        if not isinstance(answer_json, dict) or "id" not in answer_json:
            raise SendError("the SMS channel's answer has no broadcast id")


def sms_channel() -> SmsChannel:
    name = settings.SMS_CHANNEL
    if name == "rapidpro":
        return RapidProChannel(base_url=settings.SMS_URL, token=settings.SMS_TOKEN)
    if name == "test":
        return TestChannel()
    return NoChannel()
