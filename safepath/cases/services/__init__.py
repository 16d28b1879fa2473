"""Every change to a child's case: one function each, atomic, permission-checked, audited.

One module per sub-domain; import the services from here.
"""

from safepath.cases.services.care import (
    age_assessment_record,
    family_member_add,
    guardian_appoint,
    justice_contact_record,
    justice_contact_resolve,
    transition_plan_record,
)
from safepath.cases.services.decisions import (
    ChildViewsInput,
    assessment_record,
    child_views_record,
    determination_approve,
    determination_record,
    placement_change,
    solution_choose,
)
from safepath.cases.services.lifecycle import TransitionRefusedError, case_facts, case_transition
from safepath.cases.services.plans import (
    document_upload,
    note_add,
    plan_approve,
    plan_create,
    plan_submit,
    review_record,
    task_complete,
    task_create,
)
from safepath.cases.services.records import (
    CASE_FIELDS,
    CHILD_FIELDS,
    CaseInput,
    ChildInput,
    age_on,
    build_child,
    case_assign,
    case_register,
    case_share,
    case_take_on,
    case_update,
    consent_record,
    consent_withdraw,
)

__all__ = [
    "CASE_FIELDS",
    "CHILD_FIELDS",
    "CaseInput",
    "ChildInput",
    "ChildViewsInput",
    "TransitionRefusedError",
    "age_assessment_record",
    "age_on",
    "assessment_record",
    "build_child",
    "case_assign",
    "case_facts",
    "case_register",
    "case_share",
    "case_take_on",
    "case_transition",
    "case_update",
    "child_views_record",
    "consent_record",
    "consent_withdraw",
    "determination_approve",
    "determination_record",
    "document_upload",
    "family_member_add",
    "guardian_appoint",
    "justice_contact_record",
    "justice_contact_resolve",
    "note_add",
    "placement_change",
    "plan_approve",
    "plan_create",
    "plan_submit",
    "review_record",
    "solution_choose",
    "task_complete",
    "task_create",
    "transition_plan_record",
]
