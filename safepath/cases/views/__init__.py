"""Case pages. Thin: forms feed the services, selectors read, templates show."""

from safepath.cases.views.actions import case_action, document_download
from safepath.cases.views.pages import (
    case_care_page,
    case_detail_page,
    case_list_page,
    case_plan_page,
    case_procedure_page,
    case_register_page,
)
from safepath.cases.views.reports import (
    case_history_page,
    non_punishment_page,
    supervision_page,
)
from safepath.cases.views.trail import (
    access_report_download,
    access_report_page,
    case_trail_page,
    trail_lookup_page,
)

__all__ = [
    "access_report_download",
    "access_report_page",
    "case_action",
    "case_care_page",
    "case_detail_page",
    "case_history_page",
    "case_list_page",
    "case_plan_page",
    "case_procedure_page",
    "case_register_page",
    "case_trail_page",
    "document_download",
    "non_punishment_page",
    "supervision_page",
    "trail_lookup_page",
]
