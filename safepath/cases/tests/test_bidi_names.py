"""Names cannot be made to display as something else with bidirectional controls (display
spoofing): the controls are removed when a name is stored, and again when one is shown."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import timezone

from safepath.accounts.models import User
from safepath.cases.models import Case, Child
from safepath.core.text import strip_bidi_controls
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

RLO, PDF_, LRI, PDI, RLM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200f"
ALL_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_every_embedding_override_and_isolate_is_removed_and_the_marks_are_kept() -> None:
    assert strip_bidi_controls(f"A{ALL_CONTROLS}B") == "AB"
    assert strip_bidi_controls(f"{RLM}علي 2") == f"{RLM}علي 2"


@pytest.mark.django_db
def test_a_name_sent_with_controls_is_stored_without_them(caseworker_a: User) -> None:
    child = {
        "given_name": f"Amani{RLO}gnp.exe{PDF_}",
        "family_name": f"{LRI}Testone{PDI}",
        "other_names": [f"{RLO}", f"Ami{RLO}na"],
    }
    response = api_client_for(caseworker_a).post(
        "/api/v1/cases/",
        {"child": child, "identified_on": str(timezone.localdate())},
        format="json",
    )
    assert response.status_code == 201, response.json()
    stored = Child.objects.get()
    assert (stored.given_name, stored.family_name) == ("Amanignp.exe", "Testone")
    assert stored.other_names == ["Amina"]
    assert response.json()["child"]["given_name"] == "Amanignp.exe"


@pytest.mark.django_db
def test_a_name_stored_with_controls_before_the_rule_is_shown_without_them(
    caseworker_a: User,
) -> None:
    case = register_case(caseworker_a, given_name="Juma")
    child = case.child
    child.given_name, child.other_names = f"Juma{RLO}fdp.exe", [f"{RLO}Ali"]
    child.save()  # as an older version stored it, past the service's rule
    client = web_client_for(caseworker_a)
    detail = client.get(f"/cases/{case.id}/").content.decode()
    listing = client.get("/cases/").content.decode()
    for page in (detail, listing):
        assert "Jumafdp.exe" in page
        assert RLO not in page
    assert Case.objects.get().child.given_name == f"Juma{RLO}fdp.exe"


def test_the_display_filter_keeps_escaping() -> None:
    shown = Template("{% load safepath_text %}{{ v|bidi_safe }}").render(
        Context({"v": f"<b>{RLO}x</b>"})
    )
    assert shown == "&lt;b&gt;x&lt;/b&gt;"
