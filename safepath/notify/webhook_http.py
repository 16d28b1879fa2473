"""Posting one signed message to a subscriber: Standard Webhooks headers (``standardwebhooks``
signs), a connection to the address ``urlguard`` checked (TLS still verifies the host name),
a timeout on every step, no redirects followed, at most a little of the answer read. Any 2xx
is a success; anything else (another status, a timeout, an answer that is not HTTP) raises
``PostError`` with words fit for the delivery log."""

from __future__ import annotations

import datetime
import http.client
import socket
import ssl
from typing import Any

from standardwebhooks.webhooks import Webhook

from safepath.notify.urlguard import Target

READ_AT_MOST = 4096


class PostError(Exception):
    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail, self.status = detail, status


def signed_headers(
    secret: str, message_id: str, moment: datetime.datetime, body: str
) -> dict[str, str]:
    """The Standard Webhooks headers: id, timestamp (seconds) and ``v1,<base64 HMAC-SHA256 of
    id.timestamp.body>`` under the subscriber's ``whsec_`` secret."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, moment, body),
    }


def _connected(address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to the checked address. No Nagle delay: http.client writes the headers
    and the body in two sends, which with delayed acknowledgements cost 40 ms a message on a
    kept-alive connection."""
    sock = socket.create_connection((address, port), timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = _connected(self._address, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address
        self._tls = context

    def connect(self) -> None:
        raw = _connected(self._address, self.port, self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


class Poster:
    """Keeps one connection per target for a batch (keep-alive), so a subscriber with many
    messages pays one handshake; any error drops the connection."""

    def __init__(self, timeout: float, context: ssl.SSLContext | None = None) -> None:
        self.timeout = timeout
        self.context = context or ssl.create_default_context()
        self._open: dict[Target, Any] = {}

    def _connection(self, target: Target) -> http.client.HTTPConnection:
        connection = self._open.get(target)
        if connection is None:
            if target.scheme == "https":
                connection = _PinnedHTTPSConnection(target, self.timeout, self.context)
            else:
                connection = _PinnedHTTPConnection(target, self.timeout)
            self._open[target] = connection
        return connection

    def post(self, target: Target, body: str, headers: dict[str, str]) -> int:
        """POST ``body``; the status of a 2xx answer, or ``PostError``."""
        connection = self._connection(target)
        data = body.encode()
        try:
            connection.request(
                "POST",
                target.path,
                body=data,
                headers={
                    **headers,
                    "Content-Type": "application/json",
                    "User-Agent": "SafePath-Webhooks/1",
                },
            )
            response = connection.getresponse()
            response.read(READ_AT_MOST)
            status = response.status
            if not response.isclosed():
                self.drop(target)  # a longer answer than we read: this connection is spent
        except TimeoutError:
            self.drop(target)
            raise PostError(f"no answer within {self.timeout:g} seconds") from None
        except ssl.SSLError as error:
            self.drop(target)
            raise PostError(f"TLS failed ({error.reason or type(error).__name__})") from None
        except http.client.HTTPException as error:
            self.drop(target)
            raise PostError(f"the answer was not HTTP ({type(error).__name__})") from None
        except OSError as error:
            self.drop(target)
            raise PostError(f"could not connect ({type(error).__name__})") from None
        if not 200 <= status < 300:
            raise PostError(f"the subscriber answered {status}", status)
        return status

    def drop(self, target: Target) -> None:
        connection = self._open.pop(target, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        for target in list(self._open):
            self.drop(target)
