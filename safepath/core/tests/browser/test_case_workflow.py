"""A child's case from registration to closure in the browser: the caseworker works the case on
a desktop, the supervisor approves and closes it on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases import services
from safepath.cases.models import Case, ChildViews, PlanStatus
from safepath.core.tests.browser.helpers import (
    PHONE,
    ConsoleLog,
    assert_fits,
    button,
    click_and_wait,
    confirmed_device,
    field,
    sign_in,
)
from safepath.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CASE_PAGE = re.compile(r"/cases/[0-9a-f-]{36}/$")
TODAY = str(timezone.localdate())


def in_form(page: Page, action: str, label: str) -> Locator:
    """The control labelled ``label`` inside the form of ``action`` (several forms share labels)."""
    form = page.get_by_test_id(f"form-{action}")
    return form.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$"))


def submit(page: Page, action: str, name: str) -> None:
    click_and_wait(page, page.get_by_test_id(f"form-{action}").get_by_role("button", name=name))


def open_section(page: Page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def move(page: Page, target: str, reason: str = "") -> None:
    in_form(page, "move", "Move to").select_option(label=target)
    if reason:
        in_form(page, "move", "Reason for closure").select_option(label=reason)
    submit(page, "move", "Move the case")


def tab(page: Page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Case pages")
    click_and_wait(page, nav.get_by_role("link", name=name))


def hear_child(page: Page, action: str, words: str) -> None:
    in_form(page, action, "The child's views, in their words").fill(words)
    in_form(page, action, "Language the child was informed in").fill("sw")
    in_form(page, action, "Informed in a language and manner the child understands").check()
    in_form(page, action, "How the child's views were weighed").fill("Her wish decided it.")
    in_form(page, action, "Date heard").fill(TODAY)


def refer(page: Page, case: Case, worker: User, receiver: Agency) -> bool:
    """Refer from the case page under a recorded consent (the referrals app's page); accepting
    is the receiving agency's part, tested with the referrals app."""
    link = page.get_by_role("link", name="Refer to a service")
    if not link.count():
        return False  # the referrals app publishes no `referrals:create` page: nothing to refer
    services.consent_record(
        user=worker,
        case=case,
        given_by="child",
        purpose="referral",
        data_scope="Identity and plan",
        recipient_agency=receiver,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.WEB,
    )
    click_and_wait(page, link)
    field(page, "Or an agency").select_option(label=receiver.name)
    field(page, "Why the child needs this service").fill("Counselling after exploitation.")
    field(page, "Consent to refer").select_option(index=1)
    field(page, "The child's views on the referral, in their words").fill("I want to talk.")
    field(page, "Language the child was informed in").fill("sw")
    field(page, "The child was informed in a way they understand").check()
    field(page, "How the child's views were weighed").fill("She asked for it.")
    click_and_wait(page, button(page, "Send the referral"))
    assert Referral.objects.filter(case=case).count() == 1
    return True


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[tuple[Page, ConsoleLog]]:
    """A second person's page, on a phone-sized screen."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    context.set_default_timeout(10_000)
    second = context.new_page()
    log = ConsoleLog()
    log.watch(second)
    yield second, log
    context.close()


def test_a_case_from_registration_to_closure(
    page: Page,
    console: ConsoleLog,
    phone: tuple[Page, ConsoleLog],
    caseworker_a: User,
    supervisor_a: User,
    agency_b: Agency,
) -> None:
    # The caseworker registers the child.
    sign_in(page, caseworker_a, confirmed_device(caseworker_a))
    click_and_wait(page, page.get_by_role("link", name="Register a child"))
    field(page, "Given name").fill("Zawadi")
    field(page, "Family name").fill("Workflowtest")
    field(page, "Date of birth").fill("2012-02-14")
    field(page, "Date identified").fill(TODAY)
    field(page, "Forced labour").check()
    click_and_wait(page, button(page, "Register"))
    expect(page).to_have_url(CASE_PAGE)
    case = Case.objects.get()
    case_url = page.url
    # Screening belongs to the screening app: the case page links to it.
    expect(page.get_by_role("link", name="Screen with an identification tool")).to_be_visible()
    console.assert_clean()

    # Assessment: a refused move says why, in words; then the assessment is recorded.
    move(page, "Assessment")
    expect(page.get_by_test_id("case-status")).to_have_text("Assessment")
    # The stage control offers only the moves ready now, and says what the others still need.
    plan_row = page.get_by_test_id("move").filter(has_text="Case plan")
    expect(plan_row).to_contain_text("Record a best-interests assessment")
    options = in_form(page, "move", "Move to").locator("option")
    expect(options.first).to_have_text("Choose the next stage")
    expect(options.filter(has_text="Case plan")).to_have_count(0)
    console.assert_clean()
    tab(page, "Best interests and solution")
    open_section(page, "Record an assessment")
    in_form(page, "assessment", "Findings").fill("Safe in the shelter; wants school.")
    submit(page, "assessment", "Record the assessment")
    expect(page.locator("#assessments")).to_contain_text("Safe in the shelter; wants school.")
    tab(page, "Overview")
    move(page, "Case plan")
    expect(page.get_by_test_id("case-status")).to_have_text("Case plan")

    # The plan: written, submitted, and the child heard on it.
    tab(page, "Plan and work")
    open_section(page, "Write a new plan")
    in_form(page, "plan", "Goals").fill("Enrol in school\nCounselling")
    submit(page, "plan", "Save the draft plan")
    click_and_wait(page, button(page, "Submit for approval"))
    expect(page.get_by_test_id("plan-submitted")).to_contain_text("Enrol in school")
    tab(page, "Overview")
    open_section(page, "Record the child's views")
    in_form(page, "views", "Decision").select_option(label="Case plan")
    hear_child(page, "views", "I want to go to school.")
    submit(page, "views", "Record the views")
    expect(page.locator("#views")).to_contain_text("I want to go to school.")
    console.assert_clean(bad_request_ok=True)

    # The supervisor, on a phone, finds the plan waiting and approves it.
    boss, boss_console = phone
    sign_in(boss, supervisor_a, confirmed_device(supervisor_a))
    # Her home page's to-do list leads to the approval waiting (issue 19).
    waiting = boss.get_by_test_id("work-items").get_by_role(
        "link", name="Plans and determinations waiting for your approval"
    )
    click_and_wait(boss, waiting)
    click_and_wait(boss, boss.get_by_test_id("approval").get_by_role("link"))
    click_and_wait(boss, button(boss, "Approve the plan"))
    expect(boss.get_by_test_id("plan-approved")).to_be_visible()
    assert_fits(boss, "case-plan-phone")
    assert case.plans.get().status == PlanStatus.APPROVED
    boss_console.assert_clean()

    # Implementation, then a review.
    page.goto(case_url)
    move(page, "Implementation")
    expect(page.get_by_test_id("case-status")).to_have_text("Implementation")
    referred = refer(page, case, caseworker_a, agency_b)
    page.goto(case_url)
    move(page, "Review")
    tab(page, "Plan and work")
    open_section(page, "Record a review")
    in_form(page, "review", "What the review found").fill("Attending school; stable.")
    submit(page, "review", "Record the review")
    expect(page.locator("#reviews")).to_contain_text("Attending school; stable.")

    # The durable solution, chosen with the child's views, then reached.
    tab(page, "Best interests and solution")
    open_section(page, "Choose the durable solution")
    in_form(page, "solution", "Durable solution").select_option(label="Local integration")
    hear_child(page, "solution", "I want to stay here with my foster family.")
    submit(page, "solution", "Choose the solution")
    expect(page.locator("#solution")).to_contain_text("Local integration")
    tab(page, "Overview")
    move(page, "Durable solution")
    expect(page.get_by_test_id("case-status")).to_have_text("Durable solution")
    console.assert_clean(bad_request_ok=True)

    # The supervisor's phone shows the longest form (a determination panel) without overflow.
    boss.goto(case_url + "procedure/")
    open_section(boss, "Record a determination")
    assert_fits(boss, "case-procedure-phone")

    # The supervisor hears the child on closing, and closes the case.
    boss.goto(case_url)
    open_section(boss, "Record the child's views")
    assert_fits(boss, "case-overview-phone")
    in_form(boss, "views", "Decision").select_option(label="Closure")
    hear_child(boss, "views", "I am ready to close my case.")
    submit(boss, "views", "Record the views")
    move(boss, "Closed", reason="Durable solution reached and stable")
    expect(boss.get_by_test_id("case-status")).to_have_text("Closed")
    boss_console.assert_clean()

    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "solution_reached")
    assert case.durable_solution == "local_integration"
    heard = set(ChildViews.objects.filter(case=case).values_list("decision", flat=True))
    assert heard == {"plan", "durable_solution", "closure"} | ({"referral"} if referred else set())
