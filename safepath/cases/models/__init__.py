"""The cases app's models, one module per sub-domain; import them from here."""

from safepath.cases.models.care import (
    AgeAssessment,
    FamilyMember,
    GuardianAppointment,
    JusticeContact,
    TransitionPlan,
)
from safepath.cases.models.history import CaseChange
from safepath.cases.models.plans import (
    CaseDocument,
    CaseNote,
    CasePlan,
    CaseReview,
    CaseTask,
    PlanStatus,
)
from safepath.cases.models.procedure import (
    MINIMUM_PANEL,
    BestInterestsAssessment,
    BestInterestsDetermination,
    ChildViews,
)
from safepath.cases.models.records import (
    Case,
    CaseAssignment,
    CaseShare,
    CaseShareQuerySet,
    Child,
    ChildNameKey,
    Consent,
    consent_in_force,
    new_case_reference,
    unused_references,
)
from safepath.cases.models.retention import CaseErasure, LegalHold

__all__ = [
    "MINIMUM_PANEL",
    "AgeAssessment",
    "BestInterestsAssessment",
    "BestInterestsDetermination",
    "Case",
    "CaseAssignment",
    "CaseChange",
    "CaseDocument",
    "CaseErasure",
    "CaseNote",
    "CasePlan",
    "CaseReview",
    "CaseShare",
    "CaseShareQuerySet",
    "CaseTask",
    "Child",
    "ChildNameKey",
    "ChildViews",
    "Consent",
    "FamilyMember",
    "GuardianAppointment",
    "JusticeContact",
    "LegalHold",
    "PlanStatus",
    "TransitionPlan",
    "consent_in_force",
    "new_case_reference",
    "unused_references",
]
