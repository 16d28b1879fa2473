"""Every change in linkage: one function each, atomic, permission-checked, audited.

``pairs``: persons, candidate pairs and their review, runs, requests to share.
``tracing``: family tracing. ``encodings``: cross-border encodings and returned matches.
"""

from safepath.linkage.services.encodings import (
    EncodingsExport,
    ReturnedMatch,
    linkage_encodings_export,
    match_requests_record,
    matching_cases,
)
from safepath.linkage.services.pairs import (
    DEFAULT_THRESHOLD,
    ScoredPair,
    agency_by_code,
    candidate_pairs_store,
    clean_evidence,
    dedupe_pairs,
    match_request_answer,
    match_run_execute,
    match_run_start,
    memberships,
    pair_confirm,
    pair_reject,
    person_change_revert,
    person_split,
    sharing_request_create,
)
from safepath.linkage.services.reunification import (
    follow_up_visit_record,
    follow_up_visits_required,
    public_listings,
    public_regions,
    tracing_listing_publish,
    tracing_listing_withdraw,
    tracing_verification_record,
)
from safepath.linkage.services.tracing import (
    CANDIDATE_MOVES,
    TRACING_FIELDS,
    TRACING_THRESHOLD,
    tracing_candidate_update,
    tracing_pool,
    tracing_request_create,
    tracing_search,
)

__all__ = [
    "CANDIDATE_MOVES",
    "DEFAULT_THRESHOLD",
    "TRACING_FIELDS",
    "TRACING_THRESHOLD",
    "EncodingsExport",
    "ReturnedMatch",
    "ScoredPair",
    "agency_by_code",
    "candidate_pairs_store",
    "clean_evidence",
    "dedupe_pairs",
    "follow_up_visit_record",
    "follow_up_visits_required",
    "linkage_encodings_export",
    "match_request_answer",
    "match_requests_record",
    "match_run_execute",
    "match_run_start",
    "matching_cases",
    "memberships",
    "pair_confirm",
    "pair_reject",
    "person_change_revert",
    "person_split",
    "public_listings",
    "public_regions",
    "sharing_request_create",
    "tracing_candidate_update",
    "tracing_listing_publish",
    "tracing_listing_withdraw",
    "tracing_pool",
    "tracing_request_create",
    "tracing_search",
    "tracing_verification_record",
]
