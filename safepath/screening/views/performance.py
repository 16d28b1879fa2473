"""How each instrument performs here, for monitors, beside the published studies."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from safepath.accounts.selectors import signed_in_user
from safepath.screening import instruments, translations
from safepath.screening.accuracy import COMPARED, MEASURES
from safepath.screening.instruments import Instrument
from safepath.screening.monitoring import instrument_performance
from safepath.screening.policies import ScreeningAction, screening_policy
from safepath.screening.views.common import (
    _english,
    _language,
)

# --- how each instrument performs here ---------------------------------------------------------

MEASURE_LABELS = {
    "sensitivity": gettext_lazy("Sensitivity"),
    "specificity": gettext_lazy("Specificity"),
    "ppv": gettext_lazy("Positive predictive value (PPV)"),
    "npv": gettext_lazy("Negative predictive value (NPV)"),
}
MEASURE_HELP = {
    "sensitivity": gettext_lazy("Confirmed victims whom the screen found"),
    "specificity": gettext_lazy("People not confirmed as victims whom the screen left negative"),
    "ppv": gettext_lazy("Positive screens that were confirmed victims"),
    "npv": gettext_lazy("Negative screens that were not victims"),
}


def _percent(value: float | None) -> str:
    if value is None:
        return ""
    return _("%(percent)s%%") % {"percent": number_format(round(value * 100, 1), 1)}


def _local_measures(local: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name in MEASURES:
        found = local[name]
        interval = ""
        if found["ci_low"] is not None:
            interval = _("%(low)s to %(high)s") % {
                "low": _percent(found["ci_low"]),
                "high": _percent(found["ci_high"]),
            }
        counts = _("%(successes)s of %(total)s") % found
        rows.append(
            {
                "name": name,
                "label": MEASURE_LABELS[name],
                "help": MEASURE_HELP[name],
                "value": _percent(found["value"]) or _("No data yet"),
                "interval": interval,
                "counts": counts,
            }
        )
    return rows


def _compared(name: str, found: dict[str, Any]) -> dict[str, str]:
    """A published figure and where it lies against the local interval, in words."""
    if found["published"] is None:
        return {"text": _("Not published"), "state": "none"}
    if name not in COMPARED:
        return {"text": _("Not compared: it depends on how common trafficking is"), "state": ""}
    if found["within_local_interval"] is None:
        return {"text": _("No local interval yet"), "state": "none"}
    if found["within_local_interval"]:
        return {"text": _("Inside the local interval"), "state": "inside"}
    return {"text": _("Outside the local interval"), "state": "outside"}


def _study(found: dict[str, Any]) -> dict[str, Any]:
    return {
        "study": found["study"],
        "population": found["population"],
        "n": found["n"],
        "measures": [
            {
                "name": name,
                "label": MEASURE_LABELS[name],
                "published": _percent(found[name]["published"]),
                **_compared(name, found[name]),
            }
            for name in MEASURES
        ],
    }


def _performance_card(instrument: Instrument, report: dict[str, Any]) -> dict[str, Any]:
    texts = translations.texts(instrument, _language())
    return {
        "id": instrument.id,
        "title": texts.title,
        "title_lang": _english(texts, texts.title, instrument.title),
        "confirmed": report["confirmed_screens"],
        "excluded": report["excluded_insufficient_information"],
        "withheld": report["withheld"],
        "table": report["local"]["table"] if report["local"] else None,
        "measures": _local_measures(report["local"]) if report["local"] else [],
        "studies": [] if report["withheld"] else [_study(f) for f in report["published"]],
    }


@login_required
@require_GET
def performance_page(request: HttpRequest) -> HttpResponse:
    """Each shipped instrument's local accuracy from confirmed screens, beside the papers."""
    user = signed_in_user(request)
    if not screening_policy.user_has_permission(user, ScreeningAction.MONITOR):
        raise Http404
    cards: list[dict[str, Any]] = []
    scope = "national"
    for instrument in sorted(instruments.catalogue().values(), key=lambda i: i.title):
        report = instrument_performance(user=user, instrument_id=instrument.id)
        scope = report["scope"]
        cards.append(_performance_card(instrument, report))
    cards.sort(key=lambda card: not card["confirmed"])  # the tools with figures first
    context = {
        "cards": cards,
        "scope": scope,
        "agency": user.agency.name if user.agency else "",
        "any_confirmed": any(card["confirmed"] for card in cards),
        "measures": [{"label": MEASURE_LABELS[n], "help": MEASURE_HELP[n]} for n in MEASURES],
    }
    return render(request, "screening/performance.html", context)
