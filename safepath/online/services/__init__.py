"""Every change in the online app: one function each, atomic, audited, permission-checked."""

from safepath.online.services.adverts import AdvertInput, advert_graph, adverts_record
from safepath.online.services.assessment import (
    AssessmentInput,
    Upload,
    files_match,
    media_hash,
    report_assess,
)
from safepath.online.services.banks import (
    BankInput,
    agencies_by_code,
    bank_import,
    banks_by_name,
    matcher_for,
)
from safepath.online.services.intake import (
    ReportInput,
    ThrottledError,
    report_status_lookup,
    report_submit,
)
from safepath.online.services.onward import (
    case_link_accept,
    case_link_decline,
    case_link_in_force,
    case_link_request,
    cybertip_export,
    law_enforcement_refer,
)
from safepath.online.services.takedown import (
    notice_confirm_removal,
    notice_reappeared,
    notice_send,
    notices_escalate_overdue,
)

__all__ = [
    "AdvertInput",
    "AssessmentInput",
    "BankInput",
    "ReportInput",
    "ThrottledError",
    "Upload",
    "advert_graph",
    "adverts_record",
    "agencies_by_code",
    "bank_import",
    "banks_by_name",
    "case_link_accept",
    "case_link_decline",
    "case_link_in_force",
    "case_link_request",
    "cybertip_export",
    "files_match",
    "law_enforcement_refer",
    "matcher_for",
    "media_hash",
    "notice_confirm_removal",
    "notice_reappeared",
    "notice_send",
    "notices_escalate_overdue",
    "report_assess",
    "report_status_lookup",
    "report_submit",
]
