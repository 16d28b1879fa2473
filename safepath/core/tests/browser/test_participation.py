"""Children's participation in a real browser, on a phone 360 px wide: a facilitator creates a
consultation and runs it on a shared device with a handful of children (assent, a carer's
agreement, faces, a skipped question, one child withdrawing); the results are suppressed; the
coordinator prepares a summary, the data-protection officer reviews and publishes it; a child
makes an anonymous complaint about a service and follows it with the tracking code.

Screenshots (phone and desktop, English and Arabic) go to /tmp/safepath-shots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.core.tests.browser.helpers import (
    HOME,
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    enter_password,
    field,
    open_menu,
    settle,
    shot,
    sign_in,
)
from safepath.evidence.models import Release, ReleaseStatus
from safepath.participation.models import (
    Answer,
    Consultation,
    Feedback,
    Participant,
    ParticipantStatus,
)
from safepath.referrals.models import Service, ServiceProvider
from safepath.testing.factories import AgencyFactory

pytestmark = pytest.mark.browser
CONSULTATION_PAGE = re.compile(r"/participation/[0-9a-f-]{36}/$")
RELEASE_PAGE = re.compile(r"/evidence/releases/[0-9a-f-]{36}/$")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


@pytest.fixture
def ngo(db: None) -> Agency:
    return AgencyFactory(name="Children's NGO (test)", code="ngo", agency_type=AgencyType.NGO)


@pytest.fixture
def people(make_user: Callable[..., User], ngo: Agency, coordination: Agency) -> dict[str, User]:
    return {
        "facilitator": make_user(Role.FACILITATOR, ngo, "facilitator.ngo"),
        "supervisor": make_user(Role.SUPERVISOR, ngo, "supervisor.ngo"),
        "coordinator": make_user(Role.COORDINATOR, coordination, "coordinator"),
        "dpo": make_user(Role.DATA_PROTECTION_OFFICER, coordination, "dpo"),
    }


@pytest.fixture
def service(ngo: Agency) -> Service:
    provider = ServiceProvider.objects.create(
        name="Children's NGO (test)", agency=ngo, country="KE"
    )
    return Service.objects.create(
        provider=provider,
        name="Drop-in centre (test)",
        service_type="shelter.emergency",
        country="KE",
        city="Nairobi",
    )


def _sign_out(page: Page) -> None:
    settle(page)  # the release page's chart must not be answered after the session is gone
    click_and_wait(page, button(page, "Sign out"))


def _child(page: Page, console: ConsoleLog, number: int, *, withdraw: bool = False) -> None:
    """One child on the shared device: age, assent (a carer's agreement: Kenya asks it under
    18), a face for the first question, an answer, a skip; then finish, or take it all back."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The help you got: what worked, what should change"
    )
    click_and_wait(page, page.get_by_role("link", name="Start"))
    page.get_by_label("16 to 17 years old").check()
    click_and_wait(page, button(page, "Next"))
    expect(page.get_by_test_id("assent-text")).to_contain_text("We do not ask your name")
    page.get_by_label("Yes, I want to take part").check()
    click_and_wait(page, button(page, "Continue"))
    expect(page.get_by_role("alert")).to_contain_text("a parent or carer must agree too")
    console.assert_clean(bad_request_ok=True)
    page.get_by_label("Yes, I want to take part").check()
    page.get_by_label(re.compile(r"^\s*Facilitator: a parent, carer or guardian")).check()
    if number == 0:
        assert_fits(page, "participation-agree-phone-en")
    click_and_wait(page, button(page, "Continue"))
    expect(page.get_by_text("Question 1 of 6")).to_be_visible()
    # The face is decoration: the answer's accessible name is its words alone.
    very_safe = page.get_by_role("radio", name="Very safe", exact=True)
    expect(very_safe).to_have_count(1)
    expect(page.locator("label.face-answer svg[aria-hidden=true]")).to_have_count(5)
    if number == 0:
        assert_fits(page, "participation-question-faces-phone-en")
    very_safe.check()
    click_and_wait(page, button(page, "Next"))
    page.get_by_label("Yes, most of the time").check()
    click_and_wait(page, button(page, "Next"))
    if withdraw:
        click_and_wait(page, button(page, "I want to stop"))
        page.get_by_label("Take all my answers out").check()
        click_and_wait(page, button(page, "Stop"))
        expect(page.get_by_test_id("stopped")).to_have_text(
            "You stopped. All your answers were taken out."
        )
        click_and_wait(page, page.get_by_role("link", name="Back to the start"))
        return
    for _ in range(3):
        click_and_wait(page, button(page, "Skip this question"))
    page.get_by_label("If you could change one thing").fill(
        "More time to talk with the same worker."
    )
    click_and_wait(page, button(page, "Next"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    if number == 0:
        assert_fits(page, "participation-done-phone-en")
    click_and_wait(page, button(page, "Finish"))
    console.assert_clean()


@pytest.mark.slow
def test_consultation_summary_and_complaint_on_a_phone(
    page: Page, console: ConsoleLog, people: dict[str, User], service: Service
) -> None:
    page.set_viewport_size(PHONE)

    # 1. A facilitator, new to the system, creates a consultation.
    enter_password(page, people["facilitator"].username)  # no second factor for this role
    expect(page).to_have_url(HOME)
    open_menu(page)  # folded on a phone
    click_and_wait(
        page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Consultations")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations with children")
    page.get_by_label("Questions to ask").select_option("services-experience")
    field(page, "Name for this consultation").fill("Nairobi drop-in, June")
    assert_fits(page, "participation-new-phone-en")
    click_and_wait(page, button(page, "Create the consultation"))
    expect(page).to_have_url(CONSULTATION_PAGE)
    consultation = Consultation.objects.get()
    console.assert_clean()

    # 2. It runs on this phone as a shared device: the facilitator is signed out first.
    click_and_wait(page, button(page, "Start a session on this device"))
    expect(page).to_have_url(re.compile(r"/participate/$"))
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    assert_fits(page, "participation-welcome-phone-en")
    for number in range(3):
        _child(page, console, number)
    _child(page, console, 3, withdraw=True)
    assert Participant.objects.filter(status=ParticipantStatus.COMPLETED).count() == 3
    assert Participant.objects.filter(status=ParticipantStatus.WITHDRAWN).count() == 1
    assert Answer.objects.filter(participant__status=ParticipantStatus.WITHDRAWN).count() == 0

    # 3. The facilitator takes the device back, ends the session and sees suppressed results.
    click_and_wait(page, button(page, "Facilitator: take the device back"))
    field(page, "Username").fill(people["facilitator"].username)
    field(page, "Password").fill("correct-horse-battery-staple")
    click_and_wait(page, button(page, "Sign in"))
    expect(page).to_have_url(CONSULTATION_PAGE)
    click_and_wait(page, button(page, "End this session"))
    click_and_wait(page, page.get_by_role("link", name="See the results (totals only)"))
    # Three children: no figure at all, not even a zero that would say what all three answered.
    expect(page.get_by_test_id("taking-part").locator("td[data-suppressed=true]")).to_have_count(3)
    felt = page.get_by_test_id("results-felt_safe")
    expect(felt.locator("td[data-suppressed=true]")).to_have_count(21)
    expect(felt.locator("td:not([data-suppressed])")).to_have_count(0)
    assert_fits(page, "participation-results-phone-en")
    page.set_viewport_size(DESKTOP)
    shot(page, "participation-results-desktop-en")
    page.set_viewport_size(PHONE)
    console.assert_clean()
    _sign_out(page)

    # 4. The coordinator writes 'you said, we did' and prepares the summary for review.
    enter_password(page, people["coordinator"].username)
    page.goto(f"/participation/{consultation.id}/")
    page.get_by_text("Add what children said and what was done").click()
    field(page, "You said").fill("Things were explained in English only.")
    field(page, "We did").fill("Every explanation now exists in Swahili too.")
    page.get_by_label("Status").select_option(label="Done")
    click_and_wait(page, button(page, "Save"))
    expect(page.get_by_test_id("actions-table")).to_contain_text(
        "Every explanation now exists in Swahili too."
    )
    click_and_wait(page, button(page, "Prepare a summary for review"))
    expect(page).to_have_url(RELEASE_PAGE)
    expect(page.get_by_test_id("release-status")).to_have_text("Draft")
    expect(page.get_by_test_id("release-narrative").nth(1)).to_contain_text(
        "Fewer than 11 children took part"
    )
    shot(page, "participation-release-draft-phone-en")
    click_and_wait(page, button(page, "Send for review"))
    expect(page.get_by_test_id("release-status")).to_have_text("In review")
    release = Release.objects.get()
    console.assert_clean()
    _sign_out(page)

    # 5. The data-protection officer reviews it as statistics and publishes it.
    dpo = people["dpo"]
    sign_in(page, dpo, confirmed_device(dpo))
    page.goto(f"/evidence/releases/{release.id}/review/")
    expect(page.get_by_test_id("release-narrative").nth(2)).to_contain_text("You said")
    page.set_viewport_size(DESKTOP)
    shot(page, "participation-release-review-desktop-en")
    page.set_viewport_size(PHONE)
    page.get_by_label("Approve for publication").check()
    click_and_wait(page, button(page, "Record decision"))
    click_and_wait(page, button(page, "Publish"))
    expect(page.get_by_test_id("release-status")).to_have_text("Published")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    console.assert_clean()
    _sign_out(page)

    # The children can read what they said and what changed, without signing in.
    page.goto("/participate/summaries/")
    click_and_wait(page, page.get_by_role("link", name=re.compile("^The help you got")))
    expect(page.get_by_test_id("you-said")).to_contain_text(
        "Every explanation now exists in Swahili too."
    )
    expect(page.locator("main")).to_contain_text("Fewer than 11 children took part")
    assert_fits(page, "participation-summary-phone-en")
    console.assert_clean()

    # 6. A child complains about the service, anonymously, and follows it with the code.
    page.goto("/participate/feedback/")
    expect(page.get_by_test_id("contact-fields")).to_be_hidden()
    page.get_by_label("A child or young person").check()
    page.get_by_label("Which service is it about?").select_option(
        label="Drop-in centre (test) (Nairobi)"
    )
    page.get_by_label("A complaint about the service").check()
    field(page, "Tell us what happened or what you think").fill("The food was cold every evening.")
    assert_fits(page, "participation-feedback-phone-en")
    click_and_wait(page, button(page, "Send"))
    code = page.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
    assert code not in page.url
    assert_fits(page, "participation-feedback-sent-phone-en")
    feedback = Feedback.objects.get()
    assert feedback.anonymous
    click_and_wait(page, page.locator("main").get_by_role("link", name="Follow your message"))
    field(page, "Your tracking code").fill(code.lower().replace("-", " "))
    click_and_wait(page, button(page, "See what happened"))
    expect(page.get_by_test_id("feedback-status")).to_have_text("Received")
    assert code not in page.url
    assert_fits(page, "participation-feedback-status-phone-en")
    console.assert_clean()


@pytest.fixture
def arabic(browser: Browser, live_server: LiveServer, console: ConsoleLog) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="ar", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    console.watch(page)
    yield page
    context.close()


def test_the_children_pages_in_arabic_on_a_phone_and_desktop(
    arabic: Page, console: ConsoleLog, people: dict[str, User], service: Service
) -> None:
    """Right to left, every control on screen, the faces beside the words; then the same pages
    at desktop width, and the staff pages in both languages, for a person to look at."""
    page = arabic
    page.goto("/participate/information/your-rights/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("information")).to_contain_text("ليس ذنبك")
    assert_fits(page, "participation-information-younger-phone-ar")
    click_and_wait(page, page.get_by_role("link", name="تفاصيل أكثر"))
    expect(page.get_by_test_id("information")).to_have_attribute("data-level", "older")
    assert_fits(page, "participation-information-older-phone-ar")
    page.goto("/participate/feedback/")
    assert_fits(page, "participation-feedback-phone-ar")
    console.assert_clean()

    # A shared device opened by the facilitator, in Arabic.
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(people["facilitator"].username)
    page.locator("#id_password").fill("correct-horse-battery-staple")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    page.goto("/participation/")
    page.locator("#id_instrument").select_option("feeling-safe-young")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    assert_fits(page, "participation-consultation-phone-ar")
    page.set_viewport_size(DESKTOP)
    shot(page, "participation-consultation-desktop-ar")
    page.set_viewport_size(PHONE)
    click_and_wait(page, page.locator("form[action$='/session/'] button"))
    click_and_wait(page, page.locator("a.big-button"))
    page.locator("input[name=assent][value=yes]").check()
    page.locator("input[name=caregiver]").check()
    click_and_wait(page, page.locator("button.next-button"))
    expect(page.locator("label.face-answer")).to_have_count(5)
    expect(page.get_by_role("radio", name="جيد جدًا")).to_have_count(1)
    assert_fits(page, "participation-question-faces-phone-ar")
    page.set_viewport_size(DESKTOP)
    shot(page, "participation-question-faces-desktop-ar")
    page.goto("/participate/information/case-steps/?level=older")
    shot(page, "participation-information-desktop-ar")
    console.assert_clean()
