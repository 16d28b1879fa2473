"""The HTTPS path production uses: a real TLS receiver on 127.0.0.1 with a certificate made
for the test; the worker connects to the address it checked and still verifies the host name
in the certificate."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from safepath.notify.tests.conftest import Receiver, _receiver_handler
from safepath.notify.urlguard import Target
from safepath.notify.webhook_http import Poster, PostError, signed_headers
from safepath.notify.webhooks import new_message_id, new_secret


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "receiver.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("receiver.test"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[Receiver, int, Path]]:
    cert, key = _certificate(tmp_path)
    state = Receiver(secret=new_secret())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _receiver_handler(state))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, server.server_address[1], cert
    finally:
        server.shutdown()
        server.server_close()


def _send(host: str, port: int, cert: Path, secret: str) -> int:
    poster = Poster(timeout=3, context=ssl.create_default_context(cafile=str(cert)))
    body = '{"data":{},"timestamp":"2026-12-07T00:00:00Z","type":"webhook.test"}'
    target = Target("https", host, port, "/hooks", "127.0.0.1")
    headers = signed_headers(secret, new_message_id(), datetime.datetime.now(datetime.UTC), body)
    try:
        return poster.post(target, body, headers)
    finally:
        poster.close()


def test_a_signed_message_goes_over_tls_to_the_checked_address(
    tls_receiver: tuple[Receiver, int, Path],
) -> None:
    state, port, cert = tls_receiver
    assert _send("receiver.test", port, cert, state.secret) == 200
    [message] = state.received
    assert message["verified"]
    assert message["headers"]["host"] == f"receiver.test:{port}"


def test_a_certificate_for_another_name_is_refused(
    tls_receiver: tuple[Receiver, int, Path],
) -> None:
    state, port, cert = tls_receiver
    with pytest.raises(PostError, match="TLS failed"):
        _send("other.example", port, cert, state.secret)
    assert state.received == []
