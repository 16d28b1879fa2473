"""Feedback and complaints: sent without signing in, followed with a tracking code that never
travels in an address, throttled against guessing, routed away from the worker it is about,
with deadlines and escalation, and figures in the service directory suppressed below 11."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.participation.feedback_selectors import (
    coordination_overview,
    service_feedback_figures,
)
from safepath.participation.models import (
    CodeLookupFailure,
    EscalationStep,
    Feedback,
    FeedbackEscalation,
)
from safepath.participation.policies import FeedbackAction, feedback_policy
from safepath.participation.services.feedback import (
    LOOKUP_LIMIT,
    feedback_escalate_overdue,
    feedback_submit,
)
from safepath.participation.services.safeguarding import safeguarding_lead_set
from safepath.referrals.models import Service
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/participation/feedback/"
STATUS = "/api/v1/participation/feedback/status/"


def payload(service: Service, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "submitted_by": "child",
        "service": str(service.id),
        "message": "The food was cold.",
        **extra,
    }


def send(service: Service, **extra: Any) -> tuple[Feedback, str]:
    data = payload(service, **extra)
    return feedback_submit(
        kind=data["kind"],
        submitted_by=data["submitted_by"],
        service_id=service.id,
        message=data["message"],
        about_worker=data.get("about_worker", ""),
        concerns_lead=data.get("concerns_lead", False),
    )


def test_anyone_sends_feedback_and_gets_a_tracking_code(service: Service, supervisor: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    sent = client.post(URL, payload(service), format="json")
    assert sent.status_code == 201
    code = sent.json()["tracking_code"]
    assert set(sent.json()) == {"tracking_code"}
    feedback = Feedback.objects.get()
    assert code.replace("-", "") not in feedback.code_index  # only a keyed hash is kept
    assert feedback.anonymous
    assert feedback.contact is None
    status = client.post(STATUS, {"tracking_code": code.lower()}, format="json")
    assert status.status_code == 200
    assert status.json()["status"] == "received"
    assert status.json()["status_label"] == "Received"
    assert "message" not in status.json()


def test_bad_feedback_is_refused_with_every_field_named(service: Service) -> None:
    refused = APIClient().post(
        URL, {"kind": "rant", "service": str(service.id), "message": ""}, format="json"
    )
    assert refused.status_code == 400
    assert set(refused.json()["fields"]) == {"kind", "submitted_by", "message"}
    named = APIClient().post(URL, payload(service, anonymous=False, contact={}), format="json")
    assert named.json()["fields"] == {
        "contact": ["To get an answer with your name, give a name, a phone number or an e-mail."]
    }
    assert Feedback.objects.count() == 0


def test_a_service_of_no_agency_on_safepath_is_refused(service: Service) -> None:
    service.provider.agency = None
    service.provider.save()
    refused = APIClient().post(URL, payload(service), format="json")
    assert refused.json()["fields"] == {"service": ["Choose the service it is about."]}


def test_an_unknown_code_says_nothing_more(service: Service) -> None:
    send(service)
    unknown = APIClient().post(STATUS, {"tracking_code": "2222-2222-2222"}, format="json")
    malformed = APIClient().post(STATUS, {"tracking_code": "hello"}, format="json")
    assert unknown.status_code == malformed.status_code == 404
    assert (
        unknown.json()
        == malformed.json()
        == {
            "detail": "No feedback has this tracking code. Check the code and try again.",
            "code": "unknown_code",
        }
    )
    missing = APIClient().post(STATUS, {}, format="json")
    assert missing.status_code == 400
    assert missing.json()["fields"] == {"tracking_code": ["This field is required."]}


def test_ten_unknown_codes_an_hour_then_429_even_for_a_real_code(service: Service) -> None:
    _feedback, code = send(service)
    client = APIClient()
    for number in range(LOOKUP_LIMIT):
        assert (
            client.post(
                STATUS, {"tracking_code": f"2222-2222-{number + 2:04d}"}, format="json"
            ).status_code
            == 404
        )
    assert (
        client.post(STATUS, {"tracking_code": code}, format="json").status_code == 429
    )  # a right one too
    throttled = client.post(STATUS, {"tracking_code": "3333-3333-3333"}, format="json")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert 3500 <= int(throttled["Retry-After"]) <= 3600
    assert CodeLookupFailure.objects.count() == LOOKUP_LIMIT  # refusals are not counted again
    other = APIClient(REMOTE_ADDR="192.0.2.7")
    assert other.post(STATUS, {"tracking_code": code}, format="json").status_code == 200
    # An hour later the address may try again.
    CodeLookupFailure.objects.update(at=timezone.now() - datetime.timedelta(hours=1, seconds=1))
    assert client.post(STATUS, {"tracking_code": code}, format="json").status_code == 200


def test_known_codes_do_not_count_against_the_limit(service: Service) -> None:
    _feedback, code = send(service)
    client = APIClient()
    for _ in range(LOOKUP_LIMIT + 3):
        assert client.post(STATUS, {"tracking_code": code}, format="json").status_code == 200


def test_the_pages_keep_codes_out_of_addresses(service: Service) -> None:
    client = Client()
    page = client.post(
        "/participate/feedback/",
        {
            "submitted_by": "child",
            "service": str(service.id),
            "kind": "suggestion",
            "message": "More books",
            "anonymous": "yes",
        },
    )
    assert page.status_code == 200  # shown on the answer to the POST, no redirect carrying it
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    code = page.context["code"]
    assert code in page.content.decode()
    status = client.post("/participate/feedback/status/", {"tracking_code": code})
    assert status.status_code == 200
    assert "Received" in status.content.decode()
    for number in range(LOOKUP_LIMIT):
        client.post(
            "/participate/feedback/status/", {"tracking_code": f"2222-2222-{number + 2:04d}"}
        )
    throttled = client.post("/participate/feedback/status/", {"tracking_code": code})
    assert throttled.status_code == 429
    assert throttled["Retry-After"]


def test_ordinary_feedback_goes_to_the_agency_supervisors(
    service: Service, supervisor: User, worker: User
) -> None:
    feedback, _code = send(service, kind="suggestion")
    assert feedback.handler is None
    assert feedback_policy.user_has_permission_for_instance(
        supervisor, FeedbackAction.HANDLE, feedback
    )
    assert not feedback_policy.user_has_permission_for_instance(
        worker, FeedbackAction.VIEW, feedback
    )


def test_a_safeguarding_complaint_goes_to_the_lead_never_to_the_worker(
    service: Service,
    ngo: Agency,
    supervisor: User,
    worker: User,
    make_user: Callable[..., User],
    api_as: Callable[..., APIClient],
) -> None:
    lead = make_user(Role.CASEWORKER, ngo, "lead.ngo")
    deputy = make_user(Role.FACILITATOR, ngo, "deputy.ngo")
    safeguarding_lead_set(actor=supervisor, agency_id=ngo.id, lead_id=lead.id, deputy_id=deputy.id)
    recorder = make_user(Role.CASEWORKER, ngo, "recorder.ngo")
    sent = api_as(recorder).post(
        "/api/v1/participation/feedback/for-child/",
        payload(
            service, kind="safeguarding", subject_user=str(worker.id), message="He shouted at me."
        ),
        format="json",
    )
    assert sent.status_code == 201
    feedback = Feedback.objects.get()
    assert feedback.handler == lead
    assert feedback.acknowledge_by - feedback.received_at == datetime.timedelta(hours=24)
    assert api_as(lead).get(f"{URL}{feedback.id}/").json()["message"] == "He shouted at me."
    for outsider in (worker, supervisor, recorder, deputy):
        assert api_as(outsider).get(f"{URL}{feedback.id}/").status_code == 404
    assert feedback.id not in [item["id"] for item in api_as(supervisor).get(URL).json()["results"]]


def test_about_the_lead_it_goes_to_the_deputy(
    service: Service,
    ngo: Agency,
    supervisor: User,
    make_user: Callable[..., User],
    api_as: Callable[..., APIClient],
) -> None:
    deputy = make_user(Role.CASEWORKER, ngo, "deputy.ngo")
    safeguarding_lead_set(
        actor=supervisor, agency_id=ngo.id, lead_id=supervisor.id, deputy_id=deputy.id
    )
    sent = APIClient().post(
        URL, payload(service, kind="safeguarding", concerns_lead=True), format="json"
    )
    assert sent.status_code == 201
    feedback = Feedback.objects.get()
    assert feedback.handler == deputy
    assert feedback.subject_user == supervisor
    assert api_as(supervisor).get(f"{URL}{feedback.id}/").status_code == 404


def test_without_a_lead_the_longest_serving_supervisor_handles_it(
    service: Service, supervisor: User, worker: User
) -> None:
    feedback, _code = send(service, kind="safeguarding")
    assert feedback.handler == supervisor


def test_the_public_may_not_name_a_worker_from_the_staff_list(
    service: Service, worker: User
) -> None:
    refused = APIClient().post(
        URL, payload(service, kind="safeguarding", subject_user=str(worker.id)), format="json"
    )
    assert refused.status_code == 400
    assert Feedback.objects.count() == 0


def test_handling_acknowledge_respond_close_and_the_child_reads_the_answer(
    service: Service, supervisor: User, api_as: Callable[..., APIClient]
) -> None:
    feedback, code = send(service)
    api = api_as(supervisor)
    assert (
        api.post(f"{URL}{feedback.id}/closure/", {}, format="json").json()["code"] == "not_answered"
    )
    assert (
        api.post(f"{URL}{feedback.id}/acknowledgement/", {}, format="json").json()["status"]
        == "acknowledged"
    )
    assert (
        api.post(f"{URL}{feedback.id}/response/", {"reply": ""}, format="json").status_code == 400
    )
    answered = api.post(
        f"{URL}{feedback.id}/response/", {"reply": "Hot meals from Monday."}, format="json"
    )
    assert answered.json()["status"] == "responded"
    assert api.post(f"{URL}{feedback.id}/closure/", {}, format="json").json()["status"] == "closed"
    status = APIClient().post(STATUS, {"tracking_code": code}, format="json").json()
    assert status["status"] == "closed"
    assert status["reply"] == "Hot meals from Monday."


def test_recusal_hands_it_on_and_takes_away_access(
    service: Service,
    ngo: Agency,
    supervisor: User,
    make_user: Callable[..., User],
    api_as: Callable[..., APIClient],
) -> None:
    lead = make_user(Role.CASEWORKER, ngo, "lead.ngo")
    safeguarding_lead_set(actor=supervisor, agency_id=ngo.id, lead_id=lead.id)
    feedback, _code = send(service, kind="safeguarding")
    assert feedback.handler == lead
    handed = api_as(lead).post(f"{URL}{feedback.id}/recusal/", {}, format="json")
    assert handed.status_code == 200
    feedback.refresh_from_db()
    assert feedback.handler == supervisor
    assert api_as(lead).get(f"{URL}{feedback.id}/").status_code == 404


def test_late_safeguarding_complaints_escalate_once(
    service: Service, ngo: Agency, supervisor: User, make_user: Callable[..., User]
) -> None:
    lead = make_user(Role.CASEWORKER, ngo, "lead.ngo")
    deputy = make_user(Role.CASEWORKER, ngo, "deputy.ngo")
    safeguarding_lead_set(actor=supervisor, agency_id=ngo.id, lead_id=lead.id, deputy_id=deputy.id)
    feedback, _code = send(service, kind="safeguarding")
    now = timezone.now()
    assert feedback_escalate_overdue(now=now).to_people == 0
    later = now + datetime.timedelta(hours=25)
    run = feedback_escalate_overdue(now=later)
    assert run.escalated == [str(feedback.id)]
    assert set(FeedbackEscalation.objects.values_list("recipient__username", "step")) == {
        ("deputy.ngo", EscalationStep.ACKNOWLEDGEMENT),
        ("supervisor.ngo", EscalationStep.ACKNOWLEDGEMENT),
    }
    assert feedback_escalate_overdue(now=later).to_people == 0  # idempotent
    assert feedback_policy.user_has_permission_for_instance(deputy, FeedbackAction.HANDLE, feedback)


def test_very_late_feedback_is_counted_for_the_coordination(
    service: Service, supervisor: User, coordinator: User
) -> None:
    feedback, _code = send(service)
    late = feedback.respond_by + datetime.timedelta(hours=73)
    assert feedback_escalate_overdue(now=late).to_coordination == 1
    assert feedback_escalate_overdue(now=late).to_coordination == 0
    rows = coordination_overview(user=coordinator)
    assert [(row.agency.code, row.late) for row in rows] == [("ngo", 1)]


def test_directory_figures_are_suppressed_below_eleven(service: Service) -> None:
    for kind in ["compliment"] * 12 + ["suggestion"] * 2 + ["complaint", "safeguarding"]:
        send(service, kind=kind)
    figures = service_feedback_figures([service.id])[service.id]
    assert figures.total.count == 16
    assert figures.by_kind["compliment"].count == 12
    assert figures.by_kind["suggestion"].suppressed
    assert figures.by_kind["complaint"].suppressed  # the safeguarding one counts as a complaint
    few = service_feedback_figures([service.id], k=20)[service.id]
    assert few.total.suppressed
    assert few.total.count is None


def test_the_directory_page_and_api_show_the_figures(
    service: Service, supervisor: User, api_as: Callable[..., APIClient]
) -> None:
    for _ in range(3):
        send(service, kind="compliment")
    page = web_client_for(supervisor).get("/referrals/services/?country=FR").content.decode()
    assert "Feedback from children and carers" in page
    assert "fewer than 11 (not shown)" in page
    rows = api_as(supervisor).get("/api/v1/participation/service-feedback/").json()["results"]
    assert rows == [
        {
            "service": str(service.id),
            "total": None,
            "total_suppressed": True,
            # not even the zeros: they would say that all three were compliments
            "compliment": None,
            "suggestion": None,
            "complaint": None,
            "compliment_suppressed": True,
            "suggestion_suppressed": True,
            "complaint_suppressed": True,
        }
    ]
