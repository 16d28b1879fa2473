"""How each instrument performs here: screens whose outcome was later confirmed, beside the
published figures (no anchor system does this)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.accounts.roles import AGGREGATE_ONLY, DEIDENTIFIED_ONLY, Role
from safepath.cases.selectors import SMALL_CELL_THRESHOLD
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.screening import instruments
from safepath.screening.accuracy import TwoByTwo, compare, evaluate
from safepath.screening.models import ScreeningConfirmation
from safepath.screening.policies import ScreeningAction, screening_policy

POSITIVE = frozenset({"presumed_victim", "possible_victim"})


def instrument_performance(*, user: User, instrument_id: str) -> dict[str, Any]:
    """Local sensitivity, specificity, PPV and NPV with 95% Wilson intervals.

    Coordinators and analysts see the whole country; a supervisor sees their own agency.
    Screens that ended as ``insufficient_information`` are counted apart, not as negatives.
    """
    if not screening_policy.user_has_permission(user, ScreeningAction.MONITOR):
        raise PermissionDeniedError(_("Your role does not see screening performance."))
    try:
        instrument = instruments.get(instrument_id)
    except instruments.InstrumentError:
        raise NotFoundError(_("No such screening instrument.")) from None
    confirmations = ScreeningConfirmation.objects.filter(screening__instrument_id=instrument.id)
    scope = "national"
    if user.role == Role.SUPERVISOR:
        confirmations = confirmations.filter(screening__agency=user.agency_id)
        scope = "agency"
    rows = list(confirmations.values_list("screening__outcome", "confirmed_victim"))
    undetermined = sum(outcome == "insufficient_information" for outcome, _victim in rows)
    pairs = [
        (outcome in POSITIVE, victim)
        for outcome, victim in rows
        if outcome != "insufficient_information"
    ]
    table = TwoByTwo.from_pairs(pairs)
    performance = evaluate(table)
    # Aggregate-only roles never see a cell small enough to point at a child (CTDC's k = 11);
    # supervisors see their own agency's screens, which they may read one by one anyway.
    cells = (table.tp, table.fn, table.fp, table.tn)
    withheld = user.role in AGGREGATE_ONLY | DEIDENTIFIED_ONLY and any(
        0 < cell < SMALL_CELL_THRESHOLD for cell in cells
    )
    return {
        "instrument": instrument.id,
        "scope": scope,
        "confirmed_screens": len(rows),
        "excluded_insufficient_information": undetermined,
        "withheld": withheld,
        "local": None if withheld else performance.to_dict(),
        "published": [
            {"study": study.study, "population": study.population, "n": study.n}
            if withheld
            else compare(performance, study).to_dict()
            for study in instrument.validation
        ],
    }
