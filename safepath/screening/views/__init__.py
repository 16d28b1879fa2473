"""The screening pages (ICAT actions 1 and 2). Thin: the engine scores, ``screening_record``
keeps the record, ``screening_get`` reads it."""

from safepath.screening.views.interview import (
    choose_page,
    details_page,
    question_page,
    start_page,
    summary_page,
)
from safepath.screening.views.performance import performance_page
from safepath.screening.views.results import confirm_page, result_page

__all__ = [
    "choose_page",
    "confirm_page",
    "details_page",
    "performance_page",
    "question_page",
    "result_page",
    "start_page",
    "summary_page",
]
