"""The issue's real test: two SafePath instances running at once, each a gunicorn server with
its own SQLite database, data directory and keys on its own loopback port, registered as each
other's partners; a case goes from the first to the second end to end (consent, determination,
the package previewed, a supervisor's approval, a push, the receiving caseworker's acceptance,
the acknowledgement back), the two audit trails agree on the message's hash, a consent
withdrawal travels and is applied, and a tampered push is refused with nothing written."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PASSWORD = "two-instances-test-password"

# Each instance's people and agencies: its own agency, and its record of the other's.
SETUP = """
from safepath.accounts.models import Agency, User
own = Agency.objects.create(name={own_name!r}, code={own_code!r},
                            agency_type="child_protection", country={country!r})
Agency.objects.create(name={other_name!r}, code={other_code!r},
                      agency_type="foreign_counterpart", country={other_country!r})
for username, role in (("admin", "system_admin"), ("caseworker", "caseworker"),
                       ("supervisor", "supervisor")):
    user = User(username=username, role=role, agency=None if role == "system_admin" else own,
                is_staff=role == "system_admin")
    user.set_password({password!r})
    user.save()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    name: str
    data_dir: Path
    country: str
    agency: str
    port: int = field(default_factory=_free_port)
    server: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPATH_", "DATABASE"))}
        keep.pop("DJANGO_SETTINGS_MODULE", None)
        return keep | {
            "SAFEPATH_MODE": "demo",
            "SAFEPATH_DATA_DIR": str(self.data_dir),
            "SAFEPATH_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": str(ROOT),
        }

    def cli(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(BIN / "safepath"), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{self.name}: safepath {args[0]}: {done.stderr[-2000:]}"
        return done.stdout

    def start(self) -> None:
        self.server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "safepath.config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=(self.data_dir / "gunicorn.log").open("wb"),
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=15).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError(
            f"{self.name} did not start: {(self.data_dir / 'gunicorn.log').read_text()}"
        )

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)

    def api(self, method: str, path: str, who: str, **kwargs: Any) -> requests.Response:
        if who not in self.tokens:
            answer = requests.post(
                f"{self.url}/api/v1/auth/token/",
                json={"username": who, "password": PASSWORD},
                timeout=30,
            )
            assert answer.status_code == 200, answer.text
            self.tokens[who] = answer.json()["token"]
        return requests.request(
            method,
            f"{self.url}/api/v1/{path}",
            headers={"Authorization": f"Token {self.tokens[who]}"},
            timeout=60,
            **kwargs,
        )


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, Instance]]:
    home = Instance("home", tmp_path_factory.mktemp("home"), "KE", "ke-cpa")
    abroad = Instance("abroad", tmp_path_factory.mktemp("abroad"), "TZ", "tz-cpa")
    pairs = ((home, abroad), (abroad, home))
    for me, other in pairs:
        me.cli("migrate", "--verbosity", "0")
        me.cli(
            "shell",
            "-c",
            SETUP.format(
                own_name=f"Child protection {me.country}",
                own_code=me.agency,
                country=me.country,
                other_name=f"Child protection {other.country}",
                other_code=other.agency,
                other_country=other.country,
                password=PASSWORD,
            ),
        )
    try:
        for instance in (home, abroad):
            instance.start()
        yield home, abroad
    finally:
        for instance in (home, abroad):
            instance.stop()


def _register(me: Instance, other: Instance) -> None:
    identity = requests.get(f"{other.url}/api/v1/exchange/identity/", timeout=30).json()
    answer = me.api(
        "POST",
        "exchange/partners/",
        "admin",
        json={
            "instance_id": identity["instance"],
            "public_keys": identity["jwks"],
            "name": f"SafePath {other.country}",
            "country": other.country,
            "url": other.url,
            "purposes": ["case_transfer", "tracing"],
            "data_categories": ["identity", "case_facts", "contact"],
            "agencies": [other.agency],
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["fingerprint"] == identity["fingerprint"]


def _status(instance: Instance) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(instance.cli("exchange", "status", "--format", "json"))
    return rows


def test_a_case_goes_from_one_instance_to_the_other_end_to_end(
    instances: tuple[Instance, Instance],
) -> None:
    home, abroad = instances
    _register(home, abroad)
    _register(abroad, home)

    partner = home.api("GET", "exchange/partners/", "admin").json()[0]
    # at home: a case, a consent to share it with the agency abroad, an approved return
    today = datetime.datetime.now(tz=datetime.UTC).date()
    case = home.api(
        "POST",
        "cases/",
        "caseworker",
        json={
            "identified_on": (today - datetime.timedelta(days=40)).isoformat(),
            "forms_of_exploitation": ["forced_labour"],
            "country_of_exploitation": "KE",
            "country_of_origin": "TZ",
            "summary": "Synthetic case for the two-instance test.",
            "child": {
                "given_name": "Zawadi",
                "family_name": "Synthetic",
                "nationality": "TZ",
                "date_of_birth": "2012-03-04",
                "address": "A synthetic shelter",
            },
        },
    )
    assert case.status_code == 201, case.text
    case_id, reference = case.json()["id"], case.json()["reference"]
    consent = home.api(
        "POST",
        f"cases/{case_id}/consents/",
        "caseworker",
        json={
            "given_by": "guardian",
            "purpose": "sharing",
            "data_scope": "the case, for its transfer to the country of origin",
            "data_categories": ["identity", "case_facts", "notes"],
            "child_assent": True,
            "recipient_agency": partner["agencies"][0]["id"],  # our record of theirs
            "given_on": today.isoformat(),
        },
    )
    assert consent.status_code == 201, consent.text
    determination = home.api(
        "POST",
        f"cases/{case_id}/determinations/",
        "caseworker",
        json={
            "decided_on": today.isoformat(),
            "panel": [
                {"name": f"Synthetic panel member {n}", "role": "officer"} for n in (1, 2, 3)
            ],
            "decision": "return",
            "reasons": "Synthetic reasons.",
            "risk_assessment_done": True,
            "non_refoulement_checked": True,
        },
    )
    assert determination.status_code == 201, determination.text
    approval = home.api(
        "POST",
        f"cases/{case_id}/determinations/{determination.json()['id']}/approval/",
        "supervisor",
    )
    assert approval.status_code == 200, approval.text

    # the caseworker prepares; the answer is exactly what will leave
    prepared = home.api(
        "POST",
        "exchange/transfers/",
        "caseworker",
        json={"case": case_id, "partner": partner["id"], "recipient_agency": abroad.agency},
    )
    assert prepared.status_code == 201, prepared.text
    package = prepared.json()["package"]
    assert prepared.json()["categories"] == ["case_facts", "identity"]
    assert package["child"]["given_name"] == "Zawadi"
    assert "address" not in package["child"]  # contact: the consent does not cover it
    # the supervisor sees the same package, and approves it
    transfer_id = prepared.json()["id"]
    seen = home.api("GET", f"exchange/transfers/{transfer_id}/", "supervisor").json()
    assert seen["package"] == package
    approved = home.api("POST", f"exchange/transfers/{transfer_id}/approve/", "supervisor")
    assert approved.status_code == 200, approved.text

    # the worker's push (run now rather than waiting a minute)
    assert json.loads(home.cli("exchange", "send", "--format", "json"))["sent"] == 1

    # abroad: the receiving caseworker sees it and accepts it
    incoming = abroad.api("GET", "exchange/incoming/", "caseworker").json()
    assert [m["remote_reference"] for m in incoming] == [reference]
    detail = abroad.api("GET", f"exchange/incoming/{incoming[0]['id']}/", "caseworker").json()
    assert detail["package"] == package
    accepted = abroad.api("POST", f"exchange/incoming/{incoming[0]['id']}/accept/", "caseworker")
    assert accepted.status_code == 201, accepted.text
    new_reference = accepted.json()["reference"]
    new_case = abroad.api("GET", f"cases/{accepted.json()['case']}/", "caseworker").json()
    assert new_case["child"]["given_name"] == "Zawadi"
    assert new_case["child"]["address"] == ""  # never left home
    assert new_case["owner_agency"]["country"] == "TZ"

    # the acknowledgements go back; home learns the new reference
    assert json.loads(abroad.cli("exchange", "send", "--format", "json"))["sent"] == 2
    transfer = home.api("GET", f"exchange/transfers/{transfer_id}/", "caseworker").json()
    assert (transfer["status"], transfer["remote_reference"]) == ("accepted", new_reference)

    # the two trails agree: the package's hash, sent at home, received and applied abroad
    sent = {r["id"]: r for r in _status(home) if r["direction"] == "out"}
    received = {r["id"]: r for r in _status(abroad) if r["direction"] == "in"}
    transfer_message = transfer["message"]
    assert sent[transfer_message]["digest"] == received[transfer_message]["digest"]
    assert received[transfer_message]["status"] == "applied"
    assert all(received[i]["digest"] == sent[i]["digest"] for i in sent if i in received)

    # the consent is withdrawn at home: the withdrawal travels and is applied abroad
    consent_id = consent.json()["id"]
    withdrawn = home.api("POST", f"cases/{case_id}/consents/{consent_id}/withdrawal/", "caseworker")
    assert withdrawn.status_code == 200, withdrawn.text
    assert json.loads(home.cli("exchange", "send", "--format", "json"))["withdrawals"] == 1
    applied = [r for r in _status(abroad) if r["kind"] == "consent_withdrawal"]
    assert [r["status"] for r in applied] == ["applied"]

    # a tampered push is refused, and nothing is written abroad
    before = _status(abroad)
    refused = requests.post(
        f"{abroad.url}/api/v1/exchange/inbox/",
        data=b"eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.AAAA.AAAA.AAAA.AAAA",
        headers={"Content-Type": "application/jose"},
        timeout=30,
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "undecryptable")
    assert _status(abroad) == before
