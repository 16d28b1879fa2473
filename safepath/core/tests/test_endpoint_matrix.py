"""Every address SafePath answers, signed out and as each role: a new endpoint without a row
here fails the suite (issue 21: "the access matrix extended to every endpoint").

Each app's own matrix (cases, referrals, emergency, participation, online...) proves the
record-level rules: which agency, which assignment, which consent. This one proves the gate in
front of them, for every URL pattern at once:

- an address without an id answers 200 exactly to the roles its row names, and to nobody
  signed out unless the row says PUBLIC;
- an address with an id is refused to a visitor who is signed out, and answers no role with a
  success or a server error when the id is unknown;
- a POST from a visitor who is signed out changes nothing anywhere (never a success, except on
  the public forms) and never fails with a server error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safepath.accounts.models import User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import AuditEvent
from safepath.testing.factories import AgencyFactory, UserFactory
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db

ADMIN, COORD, ANALYST = Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.ANALYST
SUP, CW, POLICE = Role.SUPERVISOR, Role.CASEWORKER, Role.LAW_ENFORCEMENT
DPO, FIN = Role.DATA_PROTECTION_OFFICER, Role.FINANCIAL_ANALYST
HOTLINE, HOTLINE_SUP, PLATFORM = (
    Role.HOTLINE_ANALYST,
    Role.HOTLINE_SUPERVISOR,
    Role.PLATFORM_ANALYST,
)
DUE_DIL, LABOUR, FACIL = Role.DUE_DILIGENCE_OFFICER, Role.LABOUR_INSPECTOR, Role.FACILITATOR

# Each role in the kind of agency it works in.
ROLE_AGENCY: dict[str, str | None] = {
    ADMIN: None,
    COORD: AgencyType.NATIONAL_COORDINATION,
    ANALYST: AgencyType.NATIONAL_COORDINATION,
    SUP: AgencyType.CHILD_PROTECTION,
    CW: AgencyType.CHILD_PROTECTION,
    POLICE: AgencyType.POLICE,
    DPO: AgencyType.CHILD_PROTECTION,
    FIN: AgencyType.FIU,
    HOTLINE: AgencyType.HOTLINE,
    HOTLINE_SUP: AgencyType.HOTLINE,
    PLATFORM: AgencyType.ONLINE_PLATFORM,
    DUE_DIL: AgencyType.BUSINESS,
    LABOUR: AgencyType.LABOUR_INSPECTION,
    FACIL: AgencyType.NGO,
}
ROLES = tuple(ROLE_AGENCY)

PUBLIC = "public"  # answers 200 to everyone, signed out too
SIGNED_IN = "signed in"  # 200 to every signed-in role (lists are scoped inside), none signed out
NOT_GET = "not GET"  # POST only: GET answers 405 to every role
FLOW = "flow"  # a step of a public flow: redirects to its start when reached directly


def roles(*allowed: str) -> frozenset[str]:
    return frozenset(allowed)


# Addresses without an id: who gets 200.
EXPECTED: dict[str, str | frozenset[str]] = {
    "home": SIGNED_IN,
    "healthz": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:two_factor": SIGNED_IN,
    "accounts:recovery_codes": SIGNED_IN,
    "accounts:logout": NOT_GET,
    "cases:list": roles(SUP, CW, POLICE),
    "cases:register": roles(SUP, CW, POLICE),
    "cases:supervision": roles(SUP),
    "cases:non_punishment": roles(COORD, SUP),
    "cases:trail_lookup": roles(SUP, DPO),
    "screening:choose": roles(SUP, CW, POLICE),
    "screening:performance": roles(COORD, ANALYST, SUP),
    "referrals:list": roles(SUP, CW, POLICE),
    "referrals:services": roles(COORD, SUP, CW, POLICE),
    "referrals:overdue": roles(SUP),
    "linkage:queue": roles(SUP),
    "linkage:tracing": roles(SUP, CW),
    "linkage:tracing_new": roles(SUP, CW),
    "linkage:listings": roles(SUP, CW),
    "evidence:dashboard": roles(COORD, ANALYST, DPO),
    "evidence:sources": roles(COORD, ANALYST, DPO),
    "evidence:releases": roles(COORD, ANALYST, DPO),
    "evidence:release-draft": roles(),
    "finance:queue": roles(FIN),
    "finance:run_new": roles(FIN),
    "finance:metrics": roles(FIN),
    "participation:consultations": roles(COORD, DPO, FACIL),
    "participation:feedback": roles(SUP, CW, POLICE, FACIL),
    "participation:feedback-record": roles(SUP, CW),
    "participation:coordination": roles(COORD),
    "participation:safeguarding": roles(ADMIN, SUP),  # the administrator: any agency's lead
    "participate:start": PUBLIC,
    "participate:about": FLOW,
    "participate:agree": FLOW,
    "participate:question": FLOW,
    "participate:stop": FLOW,
    "participate:done": FLOW,
    "participate:kiosk-exit": NOT_GET,
    "participate:information": PUBLIC,
    "participate:feedback": PUBLIC,
    "participate:feedback-status": PUBLIC,
    "participate:summaries": PUBLIC,
    "emergency:list": roles(COORD, SUP),
    "emergency:field": roles(SUP, CW, POLICE),
    "emergency:risk": roles(COORD, ANALYST, SUP, DPO),
    "emergency:import": roles(SUP, CW),
    "service_worker": PUBLIC,
    "web_manifest": PUBLIC,
    "offline": PUBLIC,
    "public_tracing_list": PUBLIC,
    "online:report": PUBLIC,
    "online:thanks": FLOW,
    "online:status": PUBLIC,
    "online:queue": roles(HOTLINE, HOTLINE_SUP),
    "online:match": roles(HOTLINE, HOTLINE_SUP, PLATFORM),
    "online:banks": roles(HOTLINE, HOTLINE_SUP, PLATFORM),
    "online:adverts": roles(HOTLINE, HOTLINE_SUP, PLATFORM),
    "online:dashboard": roles(HOTLINE, HOTLINE_SUP),
    "online:handoffs": roles(SUP, CW, HOTLINE, HOTLINE_SUP),
    "set_language": FLOW,
    "api-token": NOT_GET,
    "api-token-revoke": NOT_GET,
    "api-me": SIGNED_IN,
    "api-cases": SIGNED_IN,
    "api-case-search": NOT_GET,
    "api-case-supervision": roles(SUP),
    "api-non-punishment": roles(COORD, SUP),
    "api-instruments": SIGNED_IN,
    "api-screenings": NOT_GET,
    "api-services": roles(COORD, SUP, CW, POLICE),
    "api-service-types": roles(COORD, SUP, CW, POLICE),
    "api-referrals": roles(SUP, CW, POLICE),
    "api-referrals-overdue": roles(SUP),
    "api-referral-escalations": roles(SUP, CW, POLICE),
    "api-linkage-pairs": roles(SUP),
    "api-linkage-runs": NOT_GET,
    "api-linkage-requests": roles(SUP),
    "api-linkage-cross-border": NOT_GET,
    "api-linkage-tracing": roles(SUP, CW),
    "api-linkage-tracing-listings": roles(SUP, CW),
    "api-linkage-tracing-public": PUBLIC,
    "api-evidence-sources": roles(COORD, ANALYST, DPO),
    "api-evidence-table": NOT_GET,
    "api-evidence-releases": roles(COORD, ANALYST, DPO),
    "api-finance-runs": roles(FIN),
    "api-finance-alerts": roles(FIN),
    "api-finance-alert-search": NOT_GET,
    "api-finance-metrics": roles(FIN),
    "api-participation-files": roles(COORD, DPO, FACIL),
    "api-consultations": roles(COORD, DPO, FACIL),
    "api-information": SIGNED_IN,
    "api-feedback": roles(SUP, CW, POLICE, FACIL),
    "api-feedback-status": NOT_GET,
    "api-feedback-for-child": NOT_GET,
    "api-service-feedback": roles(COORD, SUP, CW, POLICE),
    "api-safeguarding-leads": NOT_GET,
    "api-emergency-session": roles(SUP, CW, POLICE),  # signed out: 200, "sign in first"
    "api-emergency-sync": NOT_GET,
    "api-emergency-mine": roles(SUP, CW, POLICE),
    "api-emergency-list": roles(COORD, SUP),
    "api-emergency-risk": roles(COORD, ANALYST, SUP, DPO),
    "api-online-reports": roles(HOTLINE, HOTLINE_SUP),
    "api-online-report-new": NOT_GET,
    "api-online-status": NOT_GET,
    "api-online-case-links": roles(SUP, CW, HOTLINE, HOTLINE_SUP),
    "api-online-hash": NOT_GET,
    "api-online-match": NOT_GET,
    "api-online-banks": roles(HOTLINE, HOTLINE_SUP, PLATFORM),
    "api-online-adverts": roles(HOTLINE, HOTLINE_SUP, PLATFORM),
    "api-online-advert-graph": roles(HOTLINE, HOTLINE_SUP, PLATFORM),
    "api-online-dashboard": roles(HOTLINE, HOTLINE_SUP),
    "notifications:centre": SIGNED_IN,
    "notifications:preferences": SIGNED_IN,
    "notifications:read_all": NOT_GET,
    "notifications:failed": roles(ADMIN),
    "api-notifications": SIGNED_IN,
    "api-notification-preferences": SIGNED_IN,
    "api-notifications-read-all": NOT_GET,
    "api-notification-deliveries-failed": roles(ADMIN),
    "api-exchange-identity": PUBLIC,
    "api-exchange-partners": roles(ADMIN, DPO),
    "api-exchange-messages": roles(ADMIN, DPO),
    "api-exchange-inbox": NOT_GET,
    "api-exchange-outbox": roles(),  # a partner's signed pull only, never a person
    "api-exchange-transfers": SIGNED_IN,  # lists are scoped inside (empty for other roles)
    "api-exchange-incoming": SIGNED_IN,
    "exchange:partners": roles(ADMIN, DPO),
    "exchange:transfers": roles(SUP, CW),
    "webhooks:list": roles(ADMIN),
    "webhooks:clients": roles(ADMIN),
    "api-webhooks": roles(ADMIN),
    "api-webhook-events": roles(ADMIN),
    "api-clients": roles(ADMIN),
    "api-integration-whoami": roles(),  # an API client's key only, never a person's token
    "api-schema": PUBLIC,
    "api-docs": PUBLIC,
}

# Answered signed out although not PUBLIC: the field app asks whether its device is signed in.
SIGNED_OUT_ANSWERED = frozenset({"api-emergency-session"})

# Addresses with an id: record-level rules live in each app's own matrix.
WITH_ID = frozenset(
    {
        # single sign-on: the provider's key is the id (an unknown one is a 404)
        "accounts:sso_start",
        "accounts:sso_callback",
        "api-exchange-partner",
        "api-exchange-message-retry",
        "api-exchange-transfer",
        "api-exchange-transfer-approve",
        "api-exchange-incoming-detail",
        "api-exchange-incoming-accept",
        "api-exchange-incoming-decline",
        "exchange:prepare",
        "exchange:transfer",
        "exchange:incoming",
        "notifications:read",
        "notifications:retry",
        "api-notification-read",
        "api-notification-delivery-retry",
        "webhooks:detail",
        "webhooks:pause",
        "webhooks:resume",
        "webhooks:test",
        "webhooks:rotate",
        "webhooks:replay",
        "webhooks:client_rotate",
        "webhooks:client_revoke",
        "api-webhook",
        "api-webhook-deliveries",
        "api-webhook-pause",
        "api-webhook-resume",
        "api-webhook-rotate",
        "api-webhook-test",
        "api-webhook-delivery-replay",
        "api-client-rotate",
        "api-client-revoke",
        "api-integration-referral",
        "api-integration-case",
        "cases:detail",
        "cases:procedure",
        "cases:plan",
        "cases:care",
        "cases:history",
        "cases:trail",
        "cases:access_report",
        "cases:access_report_csv",
        "cases:document",
        "cases:action",
        "cases:target_action",
        "screening:start",
        "screening:details",
        "screening:question",
        "screening:summary",
        "screening:result",
        "screening:confirm",
        "referrals:service_status",
        "referrals:create",
        "referrals:detail",
        "referrals:action",
        "linkage:pair",
        "linkage:sharing",
        "linkage:answer",
        "linkage:person",
        "linkage:revert",
        "linkage:tracing_detail",
        "evidence:chart",
        "evidence:source-chart",
        "evidence:release",
        "evidence:release-submit",
        "evidence:release-review",
        "evidence:release-publish",
        "evidence:release-chart",
        "evidence:release-download",
        "finance:run",
        "finance:alert",
        "finance:alert_dispose",
        "finance:alert_report",
        "finance:report_download",
        "participation:consultation",
        "participation:session-start",
        "participation:session-end",
        "participation:link-create",
        "participation:link-stop",
        "participation:close",
        "participation:results",
        "participation:review",
        "participation:review-decision",
        "participation:action-record",
        "participation:action-update",
        "participation:summary",
        "participation:feedback-detail",
        "participation:feedback-step",
        "participation:information-given",
        "participate:link",
        "participate:information-topic",
        "participate:summary",
        "emergency:board",
        "emergency:end",
        "emergency:gaps",
        "online:detail",
        "online:media",
        "online:assess",
        "online:notice",
        "online:refer",
        "online:export",
        "online:hand_off",
        "online:notice_step",
        "online:export_download",
        "api-case",
        "api-case-assign",
        "api-case-assignment-end",
        "api-case-consent",
        "api-case-consent-withdraw",
        "api-case-share",
        "api-case-file",
        "api-case-history",
        "api-case-legal-holds",
        "api-case-legal-hold-release",
        "api-case-transition",
        "api-case-solution",
        "api-case-placement",
        "api-case-views",
        "api-case-assessments",
        "api-case-determinations",
        "api-case-determination-approve",
        "api-case-plans",
        "api-case-plan-step",
        "api-case-tasks",
        "api-case-task-complete",
        "api-case-reviews",
        "api-case-notes",
        "api-case-documents",
        "api-case-document",
        "api-case-guardians",
        "api-case-justice",
        "api-case-justice-resolve",
        "api-case-transition-plans",
        "api-case-age",
        "api-case-family",
        "api-instrument",
        "api-instrument-performance",
        "api-screening",
        "api-screening-confirm",
        "api-service",
        "api-service-status",
        "api-referral-suggestions",
        "api-referral",
        "api-referral-accept",
        "api-referral-decline",
        "api-referral-outcome",
        "api-referral-withdraw",
        "api-referral-consent",
        "api-linkage-pair",
        "api-linkage-pair-confirm",
        "api-linkage-pair-reject",
        "api-linkage-sharing-request",
        "api-linkage-case-person",
        "api-linkage-run",
        "api-linkage-person",
        "api-linkage-person-split",
        "api-linkage-change-revert",
        "api-linkage-request-answer",
        "api-linkage-tracing-request",
        "api-linkage-tracing-search",
        "api-linkage-tracing-candidate",
        "api-linkage-tracing-verifications",
        "api-linkage-tracing-follow-ups",
        "api-linkage-tracing-listing-withdraw",
        "api-evidence-budget",
        "api-evidence-release",
        "api-evidence-release-submit",
        "api-evidence-release-review",
        "api-evidence-release-publish",
        "api-evidence-release-download",
        "api-finance-run",
        "api-finance-alert",
        "api-finance-alert-dispose",
        "api-finance-alert-report",
        "api-finance-report-download",
        "api-consultation",
        "api-consultation-closure",
        "api-consultation-link",
        "api-consultation-submissions",
        "api-consultation-results",
        "api-consultation-written",
        "api-consultation-actions",
        "api-consultation-summary",
        "api-written-answer-review",
        "api-action",
        "api-feedback-item",
        "api-feedback-acknowledgement",
        "api-feedback-response",
        "api-feedback-closure",
        "api-feedback-recusal",
        "api-information-given",
        "api-emergency-registration",
        "api-emergency-end",
        "api-emergency-board",
        "api-emergency-gaps",
        "api-online-report",
        "api-online-assess",
        "api-online-media",
        "api-online-notices",
        "api-online-referral",
        "api-online-exports",
        "api-online-case-link",
        "api-online-notice-removal",
        "api-online-notice-reappearance",
        "api-online-export-download",
        "api-online-case-link-answer",
    }
)
# Addresses with an id that a signed-out visitor uses (a consultation link, public pages).
PUBLIC_WITH_ID = frozenset(
    {"participate:link", "participate:information-topic", "participate:summary"}
)
# Forms anyone may post to (each throttles and validates; an empty post is refused with 4xx).
PUBLIC_POST = frozenset(
    {
        "accounts:login",
        "set_language",
        "online:report",
        "online:status",
        "api-token",
        "api-online-report-new",
        "api-online-status",
        "api-feedback-status",
        "participate:start",
        "participate:feedback",
        "participate:feedback-status",
        "participate:link",
    }
)


def _patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern outside the admin site; unnamed ones by route."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("admin/"):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from _patterns(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace + entry.name if entry.name else route


def _url(route: str) -> str:
    """The route with every parameter filled with an id nothing has."""
    out, rest = "/", route
    while "<" in rest:
        head, _, tail = rest.partition("<")
        spec, _, rest = tail.partition(">")
        kind = spec.split(":")[0] if ":" in spec else "str"
        out += head + {"uuid": str(uuid.uuid4()), "int": "987654321"}.get(kind, "zz-unknown-id")
    return out + rest


PATTERNS = {name: route for route, name in _patterns()}


def test_every_address_has_a_row() -> None:
    named = set(PATTERNS) - {"healthz/"}  # the unnamed twin of "healthz" (no trailing slash)
    missing = sorted(named - set(EXPECTED) - WITH_ID)
    stale = sorted((set(EXPECTED) | WITH_ID) - named)
    assert not missing, f"endpoints without an access-matrix row: {missing}"
    assert not stale, f"rows for endpoints that no longer exist: {stale}"
    assert not set(EXPECTED) & WITH_ID
    assert all("<" in PATTERNS[name] for name in WITH_ID)
    assert not any("<" in PATTERNS[name] for name in EXPECTED)


def _users() -> dict[str, User]:
    users = {}
    for role, agency_type in ROLE_AGENCY.items():
        agency = AgencyFactory(agency_type=agency_type) if agency_type else None
        admin = role == ADMIN
        users[role] = UserFactory(role=role, agency=agency, is_staff=admin, is_superuser=admin)
    return users


def test_addresses_without_an_id_answer_exactly_the_roles_in_their_row() -> None:
    if os.environ.get("SAFEPATH_TEST_DATABASE_URL"):
        # About 1,700 requests; role gates read no database-specific SQL, so the SQLite pass of
        # `make test` proves them and the PostgreSQL pass does not pay twice.
        pytest.skip("the role-gate matrix runs in the SQLite pass")
    users = _users()
    clients = {role: (web_client_for(user), api_client_for(user)) for role, user in users.items()}
    signed_out = Client()
    wrong: list[str] = []
    for name, rule in EXPECTED.items():
        path = _url(PATTERNS[name])
        anonymous = signed_out.get(path).status_code
        if (anonymous == 200) != (rule == PUBLIC or name in SIGNED_OUT_ANSWERED):
            wrong.append(f"{name} signed out: {anonymous}")
        for role in ROLES:
            web, api = clients[role]
            status = (api if path.startswith("/api/v1/") else web).get(path).status_code
            if rule == NOT_GET:
                allowed = status == 405
            elif rule == FLOW:
                allowed = status == 302
            elif rule in (PUBLIC, SIGNED_IN):
                allowed = status == 200
            else:
                assert isinstance(rule, frozenset)
                allowed = (status == 200) == (role in rule) and status < 500
            if not allowed:
                wrong.append(f"{name} as {role}: {status}")
    assert not wrong, "\n".join(wrong)


def test_addresses_with_an_unknown_id_answer_nobody_with_data() -> None:
    users = _users()
    signed_out = Client()
    wrong: list[str] = []
    for index, name in enumerate(sorted(WITH_ID)):
        path = _url(PATTERNS[name])
        anonymous = signed_out.get(path).status_code
        if anonymous >= 500 or (anonymous < 300 and name not in PUBLIC_WITH_ID):
            wrong.append(f"{name} signed out: {anonymous}")
        role = ROLES[index % len(ROLES)]  # each address tried by a different role in turn
        user = users[role]
        client = api_client_for(user) if path.startswith("/api/v1/") else web_client_for(user)
        status = client.get(path).status_code
        if status < 300 or status >= 500:
            wrong.append(f"{name} as {role} with an unknown id: {status}")
    assert not wrong, "\n".join(wrong)


def test_a_signed_out_post_succeeds_only_on_the_public_forms() -> None:
    signed_out = Client()
    before = AuditEvent.objects.count()
    wrong: list[str] = []
    for name, route in sorted(PATTERNS.items()):
        status = signed_out.post(_url(route), data={}).status_code
        public = name in PUBLIC_POST or (name in EXPECTED and EXPECTED[name] == FLOW)
        if status >= 500 or (200 <= status < 300 and not public):
            wrong.append(f"{name}: {status}")
    assert not wrong, "\n".join(wrong)
    changes = AuditEvent.objects.exclude(action__in=["login_failed", "read"]).count() - before
    assert changes <= 0
