"""The demo agencies and users named in ARCHITECTURE.md section 4, made idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.accounts.services import agency_create, user_create
from safepath.audit.models import Channel
from safepath.audit.services import Actor

DEMO_COUNTRY = "KE"


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    agency_type: str


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    agency_code: str | None
    first_name: str
    last_name: str


AGENCIES = (
    DemoAgency(
        "agency-a", "Agency A — Child Protection Authority (demo)", AgencyType.CHILD_PROTECTION
    ),
    DemoAgency("agency-b", "Agency B — Children's Rights NGO (demo)", AgencyType.NGO),
    DemoAgency("police-a", "National Police, anti-trafficking unit (demo)", AgencyType.POLICE),
    DemoAgency(
        "coordination",
        "National Referral Mechanism coordination office (demo)",
        AgencyType.NATIONAL_COORDINATION,
    ),
    DemoAgency("fiu", "Financial Intelligence Unit (demo)", AgencyType.FIU),
    DemoAgency("hotline", "National Online Safety Hotline (demo)", AgencyType.HOTLINE),
    DemoAgency("platform", "Example Video Platform (demo)", AgencyType.ONLINE_PLATFORM),
)

USERS = (
    DemoUser("admin", Role.SYSTEM_ADMIN, None, "Demo", "Administrator"),
    DemoUser("coordinator", Role.COORDINATOR, "coordination", "Demo", "Coordinator"),
    DemoUser("analyst", Role.ANALYST, "coordination", "Demo", "Analyst"),
    DemoUser("supervisor.a", Role.SUPERVISOR, "agency-a", "Demo", "Supervisor A"),
    DemoUser("caseworker.a", Role.CASEWORKER, "agency-a", "Demo", "Caseworker A"),
    DemoUser("supervisor.b", Role.SUPERVISOR, "agency-b", "Demo", "Supervisor B"),
    DemoUser("caseworker.b", Role.CASEWORKER, "agency-b", "Demo", "Caseworker B"),
    DemoUser("police.a", Role.LAW_ENFORCEMENT, "police-a", "Demo", "Officer A"),
    DemoUser(
        "dpo", Role.DATA_PROTECTION_OFFICER, "coordination", "Demo", "Data-protection officer"
    ),
    DemoUser("fiu.analyst", Role.FINANCIAL_ANALYST, "fiu", "Demo", "FIU analyst"),
    DemoUser("facilitator.b", Role.FACILITATOR, "agency-b", "Demo", "Facilitator B"),
    DemoUser("hotline.analyst", Role.HOTLINE_ANALYST, "hotline", "Demo", "Hotline analyst"),
    DemoUser(
        "hotline.supervisor", Role.HOTLINE_SUPERVISOR, "hotline", "Demo", "Hotline supervisor"
    ),
    DemoUser("platform.analyst", Role.PLATFORM_ANALYST, "platform", "Demo", "Trust and safety"),
)


def demo_password() -> str:
    return str(getattr(settings, "DEMO_PASSWORD", "safepath-demo"))


@transaction.atomic
def ensure_demo_accounts() -> dict[str, User]:
    """Create what is missing; reset the demo password on every run so the printed one works."""
    actor = Actor.system(Channel.CLI)
    agencies: dict[str, Agency] = {}
    for agency_spec in AGENCIES:
        agency = Agency.objects.filter(code=agency_spec.code).first()
        agencies[agency_spec.code] = agency or agency_create(
            name=agency_spec.name,
            code=agency_spec.code,
            agency_type=agency_spec.agency_type,
            country=DEMO_COUNTRY,
            actor=actor,
        )
    users: dict[str, User] = {}
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                username=spec.username,
                password=demo_password(),
                role=spec.role,
                agency=agencies[spec.agency_code] if spec.agency_code else None,
                actor=actor,
                first_name=spec.first_name,
                last_name=spec.last_name,
                check_password=False,
            )
        elif not user.check_password(demo_password()):
            user.set_password(demo_password())
            user.save(update_fields=["password"])
        users[spec.username] = user
    return users


@transaction.atomic
def ensure_seed_staff(*, agencies: int, caseworkers_per_agency: int) -> list[User]:
    """Caseworkers spread over ``agencies`` child-protection agencies (demo agencies A and B
    first, then synthetic ones), ``caseworkers_per_agency`` each, for load tests that need a
    national spread of cases. The synthetic staff cannot sign in (no usable password)."""
    users = ensure_demo_accounts()
    homes = [
        agency
        for agency in (users["caseworker.a"].agency, users["caseworker.b"].agency)
        if agency is not None
    ]
    for number in range(len(homes) + 1, agencies + 1):
        code = f"seed-{number:03d}"
        home = Agency.objects.filter(code=code).first() or Agency.objects.create(
            name=f"Synthetic agency {number:03d} (load tests)",
            code=code,
            agency_type=AgencyType.CHILD_PROTECTION,
            country=DEMO_COUNTRY,
        )
        homes.append(home)
    staff: list[User] = []
    unusable = make_password(None)
    for agency in homes[:agencies]:
        existing = list(
            User.objects.filter(agency=agency, role=Role.CASEWORKER, is_active=True).order_by(
                "username"
            )
        )
        missing = [
            User(
                username=f"seed.{agency.code}.{number:03d}",
                role=Role.CASEWORKER,
                agency=agency,
                password=unusable,  # nobody signs in as a synthetic caseworker
            )
            for number in range(len(existing) + 1, caseworkers_per_agency + 1)
        ]
        User.objects.bulk_create(missing)
        staff += existing + missing
    return staff
