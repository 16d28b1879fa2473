"""Default-deny sharing: every field a case read puts out has a data category, and a field with
none is shared with no one. These tests enumerate the outputs (every serializer of the case API,
the case file, the history, the case pages and their templates) and fail on a field without a
category, so a new field is given one when it is added, not when someone remembers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest
from django.template.base import Lexer, TokenType
from django.utils import timezone
from rest_framework import serializers

import safepath.cases
from safepath.accounts.models import Agency, User
from safepath.cases import retention_apis as retention_s
from safepath.cases import serializers as case_s
from safepath.cases import workflow_serializers as flow_s
from safepath.cases.models import Case, CaseChange
from safepath.cases.scopes import (
    ALL_CATEGORIES,
    EVERY_HOLDER,
    KEY_CATEGORY,
    OWNER_SCOPE,
    RECORD_KINDS,
    history_in_scope,
    history_key,
    redact,
)
from safepath.cases.services import CASE_FIELDS, CHILD_FIELDS, case_share, consent_record
from safepath.cases.tests.test_shared_writes import WRITES
from safepath.cases.views.pages import PAGE_KEYS, _all_page_items
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

TODAY = timezone.localdate()

# --- every serializer of the case API, each placed ---------------------------------------------

# Case reads: each field is a key of the read ("child" fields are "child.<name>").
CASE_READS = {case_s.CaseListItemSerializer, case_s.CaseDetailSerializer}
# Records in one of the case file's lists: the list's key covers every field.
IN_A_LIST = {
    flow_s.PlanOutputSerializer: "plans",
    flow_s.TaskOutputSerializer: "tasks",
    flow_s.NoteOutputSerializer: "notes",
}
# Outputs that are not a read of one case's content by a partner, each with the reason.
NOT_A_PARTNER_READ = {
    case_s.AgencyRefSerializer: "the owning agency, nested as owner_agency (every holder)",
    case_s.ChildOutputSerializer: "nested as child in CASE_READS, checked there",
    case_s.ChildDetailSerializer: "nested as child in CASE_READS, checked there",
    case_s.ConsentOutputSerializer: "consents are listed only to who may share: the owner",
    flow_s.ChangeOutputSerializer: "the history: its values go through history_key (below)",
    flow_s.CaseloadSerializer: "a supervisor's own agency's caseloads, no child data",
    flow_s.NonPunishmentRowSerializer: "by case reference, own agency or national coordinator",
    case_s.CaseCreatedSerializer: "the answer to a registration: the registrar's own agency",
    case_s.CaseRefSerializer: "possible duplicates: id and number of cases the reader may open",
    case_s.AssignmentOutputSerializer: "own agency's staff on the case, no child data",
    retention_s.LegalHoldSerializer: "legal holds: the owning agency's supervisors only",
    retention_s.CaseErasureSerializer: "what retention erased: owning agency's supervisors only",
    retention_s.RetentionSerializer: "legal holds and erasures: as above",
}


def _is_input(cls: type) -> bool:
    """Request bodies: never put out."""
    return cls.__name__.endswith("InputSerializer") or cls in {
        case_s.ChildUpdateSerializer,
        case_s.TraffickingFactsSerializer,
        case_s.CaseCreateSerializer,
        case_s.CaseUpdateSerializer,
        case_s.CaseSearchSerializer,
        flow_s.PanelMemberSerializer,
    }


def _serializers() -> list[type]:
    """Every serializer defined anywhere in the cases app (but its tests)."""
    found = []
    for info in pkgutil.walk_packages(safepath.cases.__path__, "safepath.cases."):
        if ".tests" in info.name or ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_serializer_of_the_case_api_is_placed() -> None:
    assert len(_serializers()) > 30
    placed = CASE_READS | set(IN_A_LIST) | set(NOT_A_PARTNER_READ)
    unplaced = [c.__name__ for c in _serializers() if c not in placed and not _is_input(c)]
    assert unplaced == [], "say where these outputs sit in a case read (and their category)"


def _keys(serializer: serializers.Serializer[Any], prefix: str = "") -> list[str]:
    keys = []
    for name, field in serializer.fields.items():
        if name == "child" and isinstance(field, serializers.Serializer):
            keys += _keys(field, prefix="child.")
        else:
            keys.append(prefix + name)
    return keys


@pytest.mark.parametrize("cls", sorted(CASE_READS, key=lambda c: c.__name__))
def test_every_output_field_of_a_case_read_has_a_category(cls: type) -> None:
    keys = _keys(cls())
    assert "child.given_name" in keys  # the walk reached the child
    assert [key for key in keys if key not in KEY_CATEGORY] == []


def test_every_list_of_the_case_file_and_its_records_has_a_category() -> None:
    assert [key for key in IN_A_LIST.values() if key not in KEY_CATEGORY] == []


@pytest.mark.django_db
def test_every_key_of_the_case_file_has_a_category(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    file = api_client_for(caseworker_a).get(f"/api/v1/cases/{case.id}/file/").json()
    assert len(file) > 10
    assert [key for key in file if key not in KEY_CATEGORY] == []


# --- the history --------------------------------------------------------------------------------


def test_every_field_a_change_can_name_has_a_category() -> None:
    fields = [history_key("update", name) for name in (*CHILD_FIELDS, *CASE_FIELDS)]
    fields += [history_key("transition", name) for name in ("status", "closure_reason")]
    fields += [history_key("placement", n) for n in ("placement", "placement_location")]
    fields += [history_key("durable_solution", "durable_solution")]
    fields += list(RECORD_KINDS.values())
    assert [key for key in fields if key not in KEY_CATEGORY] == []


@pytest.mark.django_db
def test_every_change_a_write_leaves_has_a_category(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    for tail, body in WRITES.values():
        if "version" in body:
            body = {**body, "version": Case.objects.get(pk=case.pk).version}
        send = client.patch if tail == "" else client.post
        send(f"/api/v1/cases/{case.id}/{tail}", body, format="json")
    changes = list(CaseChange.objects.filter(case=case))
    assert {c.kind for c in changes} >= {"update", "note", "justice_contact", "child_views"}
    uncovered = [
        (c.kind, f) for c in changes for f in c.fields if history_key(c.kind, f) not in KEY_CATEGORY
    ]
    assert uncovered == []


# --- the pages and their templates --------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "cases"
REFERENCE = re.compile(r"\b(case|child)\.(\w+)")
# template attributes that show a read key under another name
SHOWN_AS = {
    "exploitation_labels": "forms_of_exploitation",
    "country_of_exploitation_name": "country_of_exploitation",
    "nationality_name": "nationality",
    "age_now": "child.date_of_birth",  # today's age, worked out from the date of birth
    "match_reason": "child.given_name",  # why a name search matched: names and aliases
}
# what proves a category is held, in a condition around the output
GATES = {category: (f"sees.{category}",) for category in ALL_CATEGORIES}
GATES["identity"] += ("case.identity_visible",)


def _key(owner: str, attr: str) -> str:
    attr = re.sub(r"^get_(\w+)_display$", r"\1", attr)
    attr = SHOWN_AS.get(attr, attr)
    if "." in attr:  # shown under another owner's key
        return attr
    return f"child.{attr}" if owner == "child" else attr


def _shown(source: str) -> list[tuple[str, list[str]]]:
    """Each case or child attribute a template outputs, with the conditions around it."""
    shown, frames = [], []
    for token in Lexer(source).tokenize():
        words = token.contents.split()
        if token.token_type == TokenType.BLOCK and words:
            if words[0] in ("if", "for"):
                frames.append(token.contents if words[0] == "if" else "")
            elif words[0] in ("elif", "else"):
                frames[-1] = ""  # another branch: not gated by the first condition
            elif words[0] in ("endif", "endfor"):
                frames.pop()
        if token.token_type == TokenType.VAR or (words and words[0] == "blocktranslate"):
            text = token.contents.replace("case.child.", "child.")
            for owner, attr in REFERENCE.findall(text):
                shown.append((_key(owner, attr), list(frames)))
    return shown


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_every_case_field_a_template_shows_has_a_category_and_is_gated_by_it(name: str) -> None:
    problems = []
    for key, conditions in _shown((TEMPLATES / name).read_text()):
        category = KEY_CATEGORY.get(key)
        if category is None:
            problems.append(f"{key}: no category")
        elif category != EVERY_HOLDER and not any(
            gate in condition for condition in conditions for gate in GATES[category]
        ):
            problems.append(f"{key}: shown outside {{% if sees.{category} %}}")
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["detail", "procedure", "plan", "care"])
def test_every_list_a_case_page_shows_has_a_category(caseworker_a: User, page: str) -> None:
    case = register_case(caseworker_a)
    sees = {"": True, **dict.fromkeys(ALL_CATEGORIES, True)}
    names = list(_all_page_items(page, case, sees))
    assert names
    assert [n for n in names if PAGE_KEYS.get(n, n) not in KEY_CATEGORY] == []


# --- default-deny, as behaviour -----------------------------------------------------------------


def test_a_key_without_a_category_is_shared_with_no_one() -> None:
    read = {"id": "1", "summary": "s", "new_field": "x", "child": {"id": "2", "new": "y"}}

    partner = redact(read, ALL_CATEGORIES)  # a consent that lists every category
    owner = redact(read, OWNER_SCOPE)

    assert partner == {"id": "1", "summary": "s", "child": {"id": "2"}, "withheld_categories": []}
    assert owner == read


@pytest.mark.django_db
def test_a_change_to_a_field_without_a_category_is_shown_to_no_partner(
    caseworker_a: User,
) -> None:
    change = CaseChange(
        version=2,
        kind="update",
        fields=["summary", "new_field"],
        before={"summary": "a", "new_field": "x"},
        after={"summary": "b", "new_field": "y"},
        changed_by=caseworker_a,
        changed_at=timezone.now(),
    )
    unknown = CaseChange(
        version=3,
        kind="new_kind",
        fields=["x"],
        before={},
        after={"x": "1"},
        changed_by=caseworker_a,
        changed_at=timezone.now(),
    )

    (entry,) = history_in_scope([change, unknown], ALL_CATEGORIES)
    assert (entry.fields, entry.before, entry.after) == (
        ["summary"],
        {"summary": "a"},
        {"summary": "b"},
    )
    assert len(history_in_scope([change, unknown], OWNER_SCOPE)) == 2


@pytest.fixture
def facts_only(caseworker_a: User, agency_b: Agency) -> Case:
    """A case with a placement and a durable solution, shared for its trafficking facts only."""
    case = register_case(caseworker_a)
    client = api_client_for(caseworker_a)
    views = {
        "views": "Fine.",
        "informed_language": "en",
        "informed_in_understandable_manner": True,
        "weight_given": "Weighed.",
        "heard_on": str(TODAY),
    }
    placed = {
        "version": case.version,
        "placement": "foster",
        "location": "Riverside foster home",
        "views": views,
    }
    assert (
        client.post(f"/api/v1/cases/{case.id}/placement/", placed, format="json").status_code == 200
    )
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="child",
        purpose="sharing",
        data_scope="The trafficking facts",
        data_categories=["case_facts"],
        recipient_agency=agency_b,
        given_on=TODAY,
        expires_on=None,
        channel="api",
    )
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="api")
    return case


@pytest.mark.django_db
def test_a_partner_reads_no_field_its_consent_does_not_name(
    facts_only: Case, make_user: Any, agency_b: Agency
) -> None:
    partner = make_user("supervisor", agency_b)
    detail = api_client_for(partner).get(f"/api/v1/cases/{facts_only.id}/").json()

    assert set(detail["child"]) == {"id"}
    assert "placement" not in detail
    assert "placement_location" not in detail
    assert detail["forms_of_exploitation"] == ["forced_labour"]
    web = web_client_for(partner)
    procedure = web.get(f"/cases/{facts_only.id}/procedure/").content.decode()
    overview = web.get(f"/cases/{facts_only.id}/").content.decode()
    for html in (procedure, overview):
        assert "Riverside foster home" not in html
        assert "Foster care" not in html
    assert "Female" not in overview
