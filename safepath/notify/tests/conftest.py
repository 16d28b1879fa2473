"""Real servers on the loopback address for the delivery tests: an SMTP server (aiosmtpd) whose
received messages are read back, and a fake RapidPro answering the broadcasts API."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from safepath.notify.sms import TestChannel


@dataclass
class SmtpInbox:
    """What the server received; ``refuse`` makes it answer every message with that reply."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    peers: list[Any] = field(default_factory=list)  # the client's address: one per connection
    refuse: str = ""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.recipients.append(list(envelope.rcpt_tos))
        self.peers.append(session.peer)
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        texts = []
        for message in self.messages:
            part = message.get_body(preferencelist=("plain",))
            assert part is not None
            texts.append(part.get_content())
        return texts


def free_port() -> int:
    """A port free on 127.0.0.1 now (aiosmtpd's controller needs a number, not 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "SafePath <safepath@example.org>"
        settings.SITE_URL = "https://safepath.example.org"
        yield inbox
    finally:
        controller.stop()


@dataclass
class RapidPro:
    """A fake RapidPro: records each broadcast request; ``answer`` picks the reply."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    answer: str = "ok"  # ok | error | garbage


def _handler(state: RapidPro) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            state.requests.append(
                {"path": self.path, "authorization": self.headers["Authorization"], "body": body}
            )
            if state.answer == "error":
                self.send_response(503)
                self.end_headers()
                return
            reply = (
                b"<html>not json</html>"
                if state.answer == "garbage"
                else json.dumps({"id": len(state.requests), "urns": body["urns"]}).encode()
            )
            self.send_response(201 if state.answer == "ok" else 200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def rapidpro(settings: Any) -> Iterator[RapidPro]:
    state = RapidPro()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.SMS_CHANNEL = "rapidpro"
    settings.SMS_URL = state.url
    settings.SMS_TOKEN = "test-rapidpro-token"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> None:
    TestChannel.outbox.clear()


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that checks every signature with the subscriber's secret
    (``standardwebhooks``, the specification's own library); ``answer`` picks the reply:
    ok (200), error (503), slow (answers after ``delay`` seconds), garbage (not HTTP)."""

    url: str = ""
    secret: str = ""
    answer: str = "ok"
    delay: float = 3.0
    received: list[dict[str, Any]] = field(default_factory=list)

    def verified(self) -> list[dict[str, Any]]:
        return [message for message in self.received if message["verified"]]


def _receiver_handler(state: Receiver) -> type[BaseHTTPRequestHandler]:
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                payload = Webhook(state.secret).verify(body, headers)
                verified = True
            except WebhookVerificationError:
                payload, verified = json.loads(body), False
            state.received.append(
                {"headers": headers, "body": body, "payload": payload, "verified": verified}
            )
            if state.answer == "garbage":
                self.wfile.write(b"\x00\x01 this is not HTTP at all\r\n\r\n")
                self.close_connection = True
                return
            if state.answer == "slow":
                import time

                time.sleep(state.delay)
            code = 503 if state.answer == "error" else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    """A real receiver on the loopback address; plain HTTP and a private address allowed, as
    in development (the refusals are tested with them off)."""
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _receiver_handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/safepath"
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_TIMEOUT = 2
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
