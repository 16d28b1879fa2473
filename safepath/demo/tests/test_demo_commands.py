"""`safepath demo` and `safepath seed`: synthetic data, idempotent, never in production."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safepath.accounts.models import Agency, User
from safepath.audit.selectors import audit_chain_verify
from safepath.cases.models import Case, CaseShare, Child
from safepath.demo.accounts import USERS
from safepath.demo.synthetic import generate

DEMO_USERNAMES = {
    "admin",
    "coordinator",
    "analyst",
    "supervisor.a",
    "caseworker.a",
    "caseworker.b",
    "police.a",
}


@pytest.mark.django_db
def test_demo_loads_the_contract_users_and_is_idempotent() -> None:
    out = StringIO()
    call_command("demo", stdout=out)

    def counts() -> tuple[int, ...]:
        return (
            User.objects.count(),
            Agency.objects.count(),
            Case.objects.count(),
            CaseShare.objects.count(),
        )

    first = counts()
    call_command("demo", stdout=StringIO())

    assert counts() == first
    assert set(User.objects.values_list("username", flat=True)) >= DEMO_USERNAMES
    for username in DEMO_USERNAMES:
        assert f"  {username} " in out.getvalue()
        assert User.objects.get(username=username).check_password("safepath-demo")
    assert Case.objects.count() >= 54  # 54 demo cases, plus the duplicates the linkage demo adds
    assert CaseShare.objects.count() >= 3  # three shared directly, more by accepted referrals
    police = User.objects.get(username="police.a")
    agency_a = User.objects.get(username="caseworker.a").agency
    assert police.agency.country == agency_a.country
    assert police.agency != agency_a
    assert User.objects.get(username="admin").agency is None
    assert audit_chain_verify().intact


@pytest.mark.django_db
def test_demo_password_comes_from_the_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_PASSWORD = "another-demo-pass"
    call_command("demo", "--no-cases", stdout=StringIO())
    assert User.objects.get(username="caseworker.b").check_password("another-demo-pass")
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_seed_adds_cases_spread_over_caseworkers() -> None:
    call_command("demo", "--no-cases", stdout=StringIO())
    call_command("seed", "--cases", "300", stdout=StringIO(), verbosity=0)
    assert Case.objects.count() == Child.objects.count() == 300
    owners = Counter(Case.objects.values_list("created_by__username", flat=True))
    assert set(owners) == {"caseworker.a", "caseworker.b"}
    assert audit_chain_verify().checked >= 600


@pytest.mark.django_db
def test_synthetic_data_never_enters_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    for command in (["demo"], ["seed", "--cases", "5"]):
        with pytest.raises(CommandError, match="SAFEPATH_MODE=demo"):
            call_command(*command, stdout=StringIO())
    assert User.objects.count() == 0


def test_synthetic_mix_follows_the_ctdc_proportions() -> None:
    cases = list(generate(6000, seed=1))
    sexes = Counter(case.sex for case in cases)
    # CTDC minors: 511 female, 467 male, 234 unknown of 1,212
    assert abs(sexes["female"] / 6000 - 511 / 1212) < 0.03
    assert abs(sexes["male"] / 6000 - 467 / 1212) < 0.03
    sexual = sum("sexual_exploitation" in case.forms_of_exploitation for case in cases)
    assert abs(sexual / 6000 - (127 + 14) / 1212) < 0.02
    scripts = {ord(max(case.given_name)) > 0x024F for case in cases}
    assert scripts == {True, False}  # Latin and non-Latin names both occur
    assert all(case.date_of_birth < case.identified_on for case in cases)
    assert all(len(user.username) > 0 for user in USERS)


def test_synthetic_data_is_repeatable() -> None:
    assert list(generate(20, seed=5)) == list(generate(20, seed=5))


@pytest.mark.django_db
def test_json_format_prints_only_json() -> None:
    import json

    out = StringIO()
    call_command("demo", "--no-cases", "--format", "json", stdout=out)
    users = json.loads(out.getvalue())["users"]
    assert {row["username"] for row in users} >= DEMO_USERNAMES
    out = StringIO()
    call_command("seed", "--cases", "3", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == {"added": 3}


@pytest.mark.django_db
def test_seed_spreads_cases_over_agencies_and_their_caseworkers() -> None:
    call_command("seed", "--cases", "60", "--agencies", "3", "--caseworkers-per-agency", "2",
                 stdout=StringIO())  # fmt: skip

    per_agency = Counter(Case.objects.values_list("owner_agency__code", flat=True))
    assert sorted(per_agency.values()) == [20, 20, 20]
    assert "seed-003" in per_agency
    synthetic = User.objects.get(username="seed.seed-003.001")
    assert not synthetic.has_usable_password()
