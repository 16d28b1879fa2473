"""Reviewing a possible duplicate: queue, explanation, confirmation, the person's history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from safepath.accounts.models import User
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
from safepath.linkage.models import CandidatePair, MatchRun, PairStatus, PersonMember
from safepath.linkage.services import ScoredPair, candidate_pairs_store
from safepath.testing.factories import register_case

pytestmark = pytest.mark.browser
PERSON_PAGE = re.compile(r"/linkage/persons/[0-9a-f-]{36}/$")
EVIDENCE = [
    {"field": "given_name", "level": "exact match", "bayes_factor": 64.0, "log2_bayes_factor": 6.0},
    {"field": "sex", "level": "different", "bayes_factor": 0.25, "log2_bayes_factor": -2.0},
]


def test_reviewing_and_confirming_a_possible_duplicate(
    page: Page, console: ConsoleLog, supervisor_a: User, caseworker_a: User
) -> None:
    first = register_case(caseworker_a, given_name="Amina", family_name="Yusuf")
    second = register_case(caseworker_a, given_name="أمينة", family_name="يوسف")
    run = MatchRun.objects.create(scope="national", threshold=0.9)
    candidate_pairs_store(
        run=run, pairs=[ScoredPair(str(first.id), str(second.id), 0.97, EVIDENCE)]
    )
    pair = CandidatePair.objects.get()
    sign_in(page, supervisor_a, confirmed_device(supervisor_a))

    main_nav = page.get_by_role("navigation", name="Main")
    click_and_wait(page, main_nav.get_by_role("link", name="Possible matches"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible matches")
    rows = page.locator("#pair-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Amina Yusuf")
    expect(rows.first).to_contain_text("97%")
    console.assert_clean()

    click_and_wait(page, rows.first.get_by_role("link", name="Review"))
    expect(page.get_by_test_id("pair-probability")).to_contain_text("0.97")
    chart = page.get_by_role("img", name="Weight of each field")
    expect(chart).to_be_visible()
    words = page.get_by_test_id("evidence-words").get_by_role("listitem")
    expect(words).to_have_text(
        [
            "Given name (exact match) makes a match 64.0 times more likely.",
            "Sex (different) makes a match 4.0 times less likely.",
        ]
    )
    page.set_viewport_size(PHONE)
    assert_fits(page, "linkage-pair")  # the chart and both records fit a phone's width
    page.set_viewport_size({"width": 1280, "height": 800})
    console.assert_clean()

    page.get_by_label("Confirm: the same child").check()
    field(page, "Reason").fill("Same mother's name and photo")
    click_and_wait(page, button(page, "Record the decision"))

    expect(page).to_have_url(PERSON_PAGE)
    person = PersonMember.objects.get(child=first.child).person
    assert page.url.endswith(f"/linkage/persons/{person.pk}/")
    assert PersonMember.objects.get(child=second.child).person == person
    records = page.get_by_test_id("person-records").get_by_role("listitem")
    expect(records).to_have_count(2)
    history = page.get_by_test_id("person-history").get_by_role("listitem")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Merge")
    expect(history.first).to_contain_text("Same mother's name and photo")
    pair.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED
    console.assert_clean()
