"""The API answers as its OpenAPI schema says (issue 21: "keep it from coming back").

Schemathesis reads the schema the app serves (``/api/schema/``), generates requests for every
operation from it (valid ones, and invalid ones that a server must refuse cleanly), and sends
them to the Django app in-process (WSGI), signed in as each demo role that matters with a token
from the real token endpoint, over the demo data (``safepath demo``). Every answer must be:

- no server error (5xx), whatever the input;
- a status code the schema documents for that operation;
- a content type the schema documents for that status;
- a body that validates against the schema documented for that status.

Unsafe methods (POST, PUT, PATCH, DELETE) are included. Each request runs in a savepoint that is
rolled back, so every example sees the same demo data and nothing outlives the test database;
the sockets stay closed except to 127.0.0.1 (pytest-socket), so nothing can leave the machine.

The run is bounded and reproducible: a fixed number of examples per operation and role
(``EXAMPLES``), derandomized generation, no shrinking, and a deadline per request. Every failure
is collected (not only the first) and reported together, one line each.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safepath.demo.accounts import demo_password
from safepath.testing.fixtures import call_cli

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# The roles whose answers differ the most: every kind of gate the API has.
ROLES = ("admin", "caseworker.a", "supervisor.a", "analyst", "fiu.analyst")
EXAMPLES = 2  # per operation and kind of input (valid on real records, valid, invalid)
DEADLINE = timedelta(seconds=10)  # one request as one role; far above what any should take
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class _Closing:
    """A response whose close() does not close the test's database connection either."""

    def __init__(self, response: Any):
        self.response = response

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        request_finished.disconnect(close_old_connections)
        try:
            self.response.close()
        finally:
            request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_app() -> Callable[..., Any]:
    """Django's WSGI handler, without closing the test's database connection at the start and
    end of each request, as Django's own test client does (per request: that client connects
    the closing again after each of its own requests)."""
    handler = WSGIHandler()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> _Closing:
        request_started.disconnect(close_old_connections)
        try:
            return _Closing(handler(environ, start_response))
        finally:
            request_started.connect(close_old_connections)

    return app


def _token(username: str) -> str:
    """A token from the real token endpoint, with a real TOTP code where the role needs one."""
    from safepath.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": demo_password(), "otp": f"{totp.token():06d}"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def _known_values() -> dict[str, list[str]]:
    """Values of each path parameter that name real demo records: for ``<model>_id``, ids of
    rows of the SafePath model of that name (without underscores); the instruments, the
    statistics sources, and a plan's steps and a release's formats by name."""
    from safepath.evidence.selectors import source_list
    from safepath.screening.instruments import catalogue

    known: dict[str, list[str]] = {
        "instrument_id": sorted(catalogue())[:3],
        "source": [info.name for info in source_list(user=None)][:3],
        "step": ["submission", "approval"],
        "fmt": ["csv", "xlsx", "methodology"],
    }
    for model in apps.get_models():
        if not model.__module__.startswith("safepath."):
            continue
        ids = [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]]
        if ids:
            known.setdefault(f"{model._meta.model_name}_id", []).extend(ids)
    return known


def _real_path_parameters(
    operation: Any, known: dict[str, list[str]]
) -> st.SearchStrategy[dict[str, str]] | None:
    names = [p.name for p in operation.path_parameters]
    if not names:
        return None
    choices: dict[str, st.SearchStrategy[str]] = {}
    for name in names:
        key = name[:-3].replace("_", "") + "_id" if name.endswith("_id") else name
        values = known.get(key)
        if not values:
            return None
        choices[name] = st.sampled_from(values)
    return st.fixed_dictionaries(choices)


def _strategies(
    operation: Any, known: dict[str, list[str]]
) -> list[tuple[st.SearchStrategy[Any], bool]]:
    """The kinds of request, each with whether it goes out as every role: valid requests on
    real records (where the path has ids we know) or else valid requests, as every role (their
    answers differ most by role); valid requests with other ids, and invalid requests, each as
    the next role in turn."""
    positive = operation.as_strategy(GenerationMode.POSITIVE)
    negative = operation.as_strategy(GenerationMode.NEGATIVE)
    real = _real_path_parameters(operation, known)
    if real is None:
        return [(positive, True), (negative, False)]
    on_records = real.flatmap(
        lambda path: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=path)
    )
    return [(on_records, True), (positive, False), (negative, False)]


def _run(
    operation: Any, tokens: dict[str, str], known: dict[str, list[str]], turn: Iterator[str]
) -> tuple[int, list[str]]:
    """Send the operation's generated requests; how many were sent, and the failures."""
    failures: list[str] = []
    sent = 0

    def send_as(roles: list[str], case: Any) -> None:
        nonlocal sent
        for role in roles:
            sent += 1
            with transaction.atomic():
                try:
                    response = case.call(headers={"Authorization": f"Token {tokens[role]}"})
                    case.validate_response(response, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as error:  # all, not only the first
                    failures.append(_summary(operation, role, error))
                finally:
                    transaction.set_rollback(True)

    def sender(every_role: bool) -> Callable[[Any], None]:
        def send(case: Any) -> None:
            send_as(list(tokens) if every_role else [next(turn)], case)

        return send

    for strategy, every_role in _strategies(operation, known):
        run = settings(
            max_examples=EXAMPLES,
            deadline=DEADLINE * len(tokens),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(case=strategy)(sender(every_role)))
        try:
            run()
        except Unsatisfiable:  # nothing in the operation can be made invalid
            continue
    return sent, failures


def _summary(operation: Any, role: str, error: BaseException) -> str:
    parts = []
    for failure in getattr(error, "exceptions", [error]):
        title = getattr(failure, "title", type(failure).__name__)
        message = " ".join(str(getattr(failure, "message", failure)).split())
        parts.append(f"{title}: {message[:300]}")
    return f"{operation.label} as {role}: {' | '.join(sorted(set(parts)))}"


def test_every_operation_answers_as_the_schema_says(wsgi_app: Callable[..., Any]) -> None:
    code, _, err = call_cli("demo")
    assert code == 0, err
    tokens = {role: _token(role) for role in ROLES}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    known = _known_values()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 150
    started = time.monotonic()
    turn = itertools.cycle(ROLES)
    sent, failures = 0, []
    for operation in operations:
        count, found = _run(operation, tokens, known, turn)
        sent += count
        failures.extend(found)
    elapsed = time.monotonic() - started
    report = f"{len(operations)} operations, {sent} requests in {elapsed:.0f} s"
    print(report)  # noqa: T201 - the run's size, for `pytest -s`
    unique = sorted(set(failures))
    assert unique == [], f"{report}; {len(unique)} kinds of failure:\n" + "\n".join(unique)
