"""Roles and what each may do in general. Record-level rules live in each app's policies.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    COORDINATOR = "coordinator", _("National coordinator")
    ANALYST = "analyst", _("Analyst")
    SUPERVISOR = "supervisor", _("Supervisor")
    CASEWORKER = "caseworker", _("Caseworker")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data-protection officer")
    FINANCIAL_ANALYST = "financial_analyst", _("Financial analyst")
    # Online safety (online app): a national hotline's analysts and their supervisor, and a
    # platform's trust-and-safety team matching uploads against hash lists.
    HOTLINE_ANALYST = "hotline_analyst", _("Hotline analyst")
    HOTLINE_SUPERVISOR = "hotline_supervisor", _("Hotline supervisor")
    PLATFORM_ANALYST = "platform_analyst", _("Trust-and-safety analyst")
    # Business due diligence (business app): a company's responsible-sourcing team and a
    # labour inspectorate's inspectors.
    DUE_DILIGENCE_OFFICER = "due_diligence_officer", _("Due-diligence officer")
    LABOUR_INSPECTOR = "labour_inspector", _("Labour inspector")
    # Children's participation (participation app): runs consultations with children.
    FACILITATOR = "facilitator", _("Consultation facilitator")


# Roles that may read a child's identifying data (names, birth dates, contacts) on some record.
READS_IDENTIFYING_DATA = frozenset({Role.SUPERVISOR, Role.CASEWORKER, Role.LAW_ENFORCEMENT})

# Two-factor sign-in is required for everyone who can read identifying data, and for the
# administrators who can create such users.
REQUIRES_TWO_FACTOR = READS_IDENTIFYING_DATA | {
    Role.SYSTEM_ADMIN,
    Role.DATA_PROTECTION_OFFICER,
    Role.FINANCIAL_ANALYST,
    Role.HOTLINE_ANALYST,
    Role.HOTLINE_SUPERVISOR,
    Role.PLATFORM_ANALYST,
    Role.LABOUR_INSPECTOR,
}

# Roles that may register a new child's case in their own agency.
REGISTERS_CASES = frozenset({Role.SUPERVISOR, Role.CASEWORKER, Role.LAW_ENFORCEMENT})

# Roles that see figures about cases, never a case itself.
AGGREGATE_ONLY = frozenset({Role.COORDINATOR})
DEIDENTIFIED_ONLY = frozenset({Role.ANALYST})

# Reviews statistical releases before they are published (evidence app); sees no case.
REVIEWS_RELEASES = frozenset({Role.DATA_PROTECTION_OFFICER})

# Works financial red-flag alerts in a financial intelligence unit or a bank (finance app).
WORKS_FINANCIAL_ALERTS = frozenset({Role.FINANCIAL_ANALYST})


class AgencyType(models.TextChoices):
    CHILD_PROTECTION = "child_protection", _("Child-protection authority")
    NGO = "ngo", _("Non-governmental organisation")
    POLICE = "police", _("Police")
    IMMIGRATION = "immigration", _("Immigration")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    JUSTICE = "justice", _("Justice")
    FOREIGN_COUNTERPART = "foreign_counterpart", _("Foreign counterpart")
    BUSINESS = "business", _("Business")
    FIU = "fiu", _("Financial intelligence unit")
    FINANCIAL_INSTITUTION = "financial_institution", _("Bank or financial institution")
    NATIONAL_COORDINATION = "national_coordination", _("National coordination")
    HOTLINE = "hotline", _("Hotline")
    ONLINE_PLATFORM = "online_platform", _("Online platform")
    HUMANITARIAN = "humanitarian", _("Humanitarian organisation")
