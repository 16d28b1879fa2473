"""A child answering, through the real pages: on a shared tablet (the facilitator signed out)
or by a link; assent, a parent's or carer's agreement where needed, skipping, stopping with the
answers kept or erased, and a tampered answer refused with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.participation.models import (
    Answer,
    CaregiverConsent,
    Consultation,
    Participant,
    ParticipantStatus,
    ParticipationChannel,
)
from safepath.participation.services.consultations import (
    consultation_close,
    consultation_link_create,
)
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def kiosk(facilitator: User, consultation: Consultation) -> Client:
    client = web_client_for(facilitator)
    response = client.post(f"/participation/{consultation.id}/session/")
    assert response.status_code == 302
    assert response["Location"] == "/participate/"
    return client


def answer(client: Client, question: str, value: str = "", step: str = "next") -> Any:
    return client.post(
        "/participate/question/", {"question": question, "answer": value, "step": step}
    )


def begin(client: Client, band: str, **agree: str) -> Any:
    assert client.get("/participate/").status_code == 200
    assert client.post("/participate/about-you/", {"age_band": band}).status_code == 302
    return client.post("/participate/agree/", {"assent": "yes", **agree})


def test_the_tablet_is_signed_out_before_a_child_uses_it(
    facilitator: User, consultation: Consultation
) -> None:
    client = kiosk(facilitator, consultation)
    assert "_auth_user_id" not in client.session
    assert client.get("/participation/").status_code == 302  # the staff pages ask to sign in
    page = client.get("/participate/")
    assert b"Test run" not in page.content  # the staff's title is not shown to children
    assert "The help you got" in page.content.decode()


def test_a_child_answers_skips_and_finishes(facilitator: User, consultation: Consultation) -> None:
    client = kiosk(facilitator, consultation)
    assert begin(client, "16-17")["Location"] == "/participate/question/"
    participant = Participant.objects.get()
    assert participant.caregiver_consent == CaregiverConsent.NOT_REQUIRED
    assert participant.channel == ParticipationChannel.SESSION
    assert answer(client, "felt_safe", "very").status_code == 302
    assert answer(client, "listened", "no").status_code == 302
    page = client.get("/participate/question/")
    assert "What could adults do" in page.content.decode()  # asked because of 'no'
    answer(client, "listen_better", step="skip")
    for question in ("explained", "own_language", "knew_how_to_complain"):
        answer(client, question, "yes")
    answer(client, "one_change", "More time to talk.")
    assert client.get("/participate/question/")["Location"] == "/participate/done/"
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.COMPLETED
    saved = {a.question_id: (a.skipped, a.value) for a in participant.answers.all()}
    assert saved["listen_better"] == (True, None)
    assert saved["one_change"] == (False, "More time to talk.")
    # Finish: the device forgets the child; the next one starts afresh.
    assert client.post("/participate/done/")["Location"] == "/participate/"
    assert client.get("/participate/question/")["Location"] == "/participate/"
    assert client.get("/participate/stop/")["Location"] == "/participate/"


def test_withdrawing_erases_every_answer(facilitator: User, consultation: Consultation) -> None:
    client = kiosk(facilitator, consultation)
    begin(client, "16-17")
    answer(client, "felt_safe", "quite")
    answer(client, "listened", "yes")
    assert Answer.objects.count() == 2
    assert answer(client, "explained", step="stop")["Location"] == "/participate/stop/"
    page = client.post("/participate/stop/", {"choice": "erase"})
    assert "All your answers were taken out" in page.content.decode()
    assert Answer.objects.count() == 0
    assert Participant.objects.get().status == ParticipantStatus.WITHDRAWN


def test_stopping_early_may_keep_the_answers(facilitator: User, consultation: Consultation) -> None:
    client = kiosk(facilitator, consultation)
    begin(client, "16-17")
    answer(client, "felt_safe", "quite")
    client.post("/participate/stop/", {"choice": "keep"})
    assert Participant.objects.get().status == ParticipantStatus.STOPPED
    assert Answer.objects.count() == 1


def test_withdrawing_after_the_last_question(
    facilitator: User, young_consultation: Consultation
) -> None:
    client = kiosk(facilitator, young_consultation)
    client.get("/participate/")
    agree = client.post("/participate/agree/", {"assent": "yes", "caregiver": "on"})
    assert agree.status_code == 302
    for question in ("feel_here", "grown_ups_listen", "someone_to_tell", "best_thing", "wish"):
        answer(client, question, step="skip")
    assert client.get("/participate/question/")["Location"] == "/participate/done/"
    client.post("/participate/stop/", {"choice": "erase"})
    assert Answer.objects.count() == 0


def test_under_the_consent_age_a_carer_must_agree_too(
    facilitator: User, consultation: Consultation
) -> None:
    client = kiosk(facilitator, consultation)
    refused = begin(client, "12-15")
    assert refused.status_code == 400
    assert "a parent or carer must agree too" in refused.content.decode()
    assert Participant.objects.count() == 0
    assert (
        client.post("/participate/agree/", {"assent": "yes", "caregiver": "on"}).status_code == 302
    )
    assert Participant.objects.get().caregiver_consent == CaregiverConsent.FACILITATOR_CONFIRMED


def test_saying_no_stores_nothing(facilitator: User, consultation: Consultation) -> None:
    client = kiosk(facilitator, consultation)
    client.post("/participate/about-you/", {"age_band": "16-17"})
    page = client.post("/participate/agree/", {"assent": "no"})
    assert "Nothing was saved" in page.content.decode()
    assert Participant.objects.count() == 0


def test_an_answer_for_a_question_that_does_not_exist(
    facilitator: User, consultation: Consultation
) -> None:
    client = kiosk(facilitator, consultation)
    begin(client, "16-17")
    page = answer(client, "favourite_colour", "very")
    assert page.status_code == 400
    assert "has no question favourite_colour" in page.content.decode()
    assert Answer.objects.count() == 0
    tampered = answer(client, "felt_safe", "ecstatic")
    assert tampered.status_code == 400
    assert Answer.objects.count() == 0


def test_by_a_link_the_carer_agrees_on_the_same_screen(
    facilitator: User, consultation: Consultation
) -> None:
    _c, token = consultation_link_create(actor=facilitator, consultation_id=consultation.id)
    client = Client()
    opened = client.get(f"/participate/l/{token}/")
    assert opened["Location"] == "/participate/"  # the secret does not stay in the address bar
    page = client.get("/participate/about-you/")
    assert page.status_code == 200
    client.post("/participate/about-you/", {"age_band": "12-15"})
    form = client.get("/participate/agree/").content.decode()
    assert "Parent or carer: I have read this" in form
    assert (
        client.post("/participate/agree/", {"assent": "yes", "caregiver": "on"}).status_code == 302
    )
    participant = Participant.objects.get()
    assert participant.channel == ParticipationChannel.LINK
    assert participant.caregiver_consent == CaregiverConsent.CAREGIVER_ON_DEVICE
    assert participant.session is None


def test_a_wrong_replaced_or_closed_link_opens_nothing(
    facilitator: User, consultation: Consultation
) -> None:
    _c, old = consultation_link_create(actor=facilitator, consultation_id=consultation.id)
    _c, new = consultation_link_create(actor=facilitator, consultation_id=consultation.id)
    assert Client().get(f"/participate/l/{old}/").status_code == 404
    assert Client().get("/participate/l/not-a-token/").status_code == 404
    consultation_close(actor=facilitator, consultation_id=consultation.id)
    assert Client().get(f"/participate/l/{new}/").status_code == 404


def test_an_ended_session_takes_no_more_children(
    facilitator: User, consultation: Consultation
) -> None:
    client = kiosk(facilitator, consultation)
    staff = web_client_for(facilitator)
    session = consultation.sessions.get()
    staff.post(f"/participation/{consultation.id}/sessions/{session.id}/end/")
    page = client.get("/participate/")
    assert "This session has ended" in page.content.decode()
    assert client.get("/participate/agree/")["Location"] == "/participate/"


def test_answers_are_encrypted_and_hold_no_name_or_case(
    facilitator: User, consultation: Consultation
) -> None:
    client = kiosk(facilitator, consultation)
    begin(client, "16-17")
    answer(client, "felt_safe", "very")
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM participation_answer")
        (stored,) = cursor.fetchone()
    assert "very" not in stored
    assert Answer.objects.get().value == "very"
    for model in (Participant, Answer):
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"name", "given_name", "family_name", "date_of_birth", "user", "case"}
        assert not any(
            getattr(field, "related_model", None) in (Case, User)
            for field in model._meta.get_fields()
            if field.name != "reviewed_by"
        )
    participant = Participant.objects.get()
    assert not hasattr(participant, "started_at"), "a day only, never the time a child sat down"


def test_answers_left_half_way_are_erased_after_a_day(
    facilitator: User, consultation: Consultation
) -> None:
    import datetime

    from django.utils import timezone

    from safepath.participation.services.participants import participants_purge_abandoned
    from safepath.participation.tasks import participation_escalate_overdue

    client = kiosk(facilitator, consultation)
    begin(client, "16-17")
    answer(client, "felt_safe", "very")
    finished = kiosk(facilitator, consultation)
    begin(finished, "16-17")
    finished.post("/participate/stop/", {"choice": "keep"})
    assert participants_purge_abandoned() == 0  # not a day old yet
    Participant.objects.update(started_on=timezone.localdate() - datetime.timedelta(days=1))
    result = participation_escalate_overdue.call()
    assert result["abandoned_erased"] == 2  # the participant and its one answer
    assert list(Participant.objects.values_list("status", flat=True)) == [ParticipantStatus.STOPPED]
