"""The risk map: INFORM Risk as a world choropleth drawn on the server (no network, no script),
with the table under it; case counts by country pass the evidence app's disclosure control."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases.vocabulary import Exploitation
from safepath.emergency import worldmap
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.risk import LAYERS, layer_class, layer_labels, layer_value, risk_table


def _title(row_name: str, layer_label: str, value: float | None, suppressed: bool) -> str:
    if suppressed:
        return _("%(country)s: %(layer)s: suppressed (fewer than the threshold)") % {
            "country": row_name,
            "layer": layer_label,
        }
    if value is None:
        return _("%(country)s: no data") % {"country": row_name}
    return f"{row_name}: {layer_label} {value:g}"


@login_required
@require_GET
def risk_map_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not emergency_policy.user_has_permission(user, EmergencyAction.VIEW_RISK):
        raise Http404
    layer = request.GET.get("layer", "risk")
    if layer not in LAYERS:
        layer = "risk"
    exploitation = request.GET.get("exploitation", "")
    if exploitation not in Exploitation.values:
        exploitation = ""
    table = risk_table(exploitation=exploitation)
    labels = layer_labels()
    shades = {}
    for row in table.rows:
        count = (
            row.origin
            if layer == "origin"
            else row.exploitation
            if layer == "exploitation"
            else None
        )
        suppressed = bool(count and count.suppressed)
        shades[row.risk.iso3] = worldmap.Shade(
            css_class=layer_class(row, layer),
            title=_title(row.name, labels[layer], layer_value(row, layer), suppressed),
        )
    edition = table.edition.label if table.edition else _("no INFORM edition imported")
    svg = worldmap.svg(
        shades,
        title=_("World map: %(layer)s by country") % {"layer": labels[layer]},
        description=_(
            "Countries shaded in five classes from light (low) to dark (high); grey: no data "
            "or a count withheld. The table under the map gives every value."
        ),
    )
    audit_record(
        actor=Actor.of(user, Channel.WEB),
        action=Action.READ,
        object_type="emergency.risk_map",
        object_id=layer,
        details={"exploitation": exploitation, "counts": table.counts_available},
    )
    return render(
        request,
        "emergency/risk.html",
        {
            "table": table,
            "map_svg": mark_safe(svg),  # noqa: S308 - built by worldmap.svg, every text escaped
            "layer": layer,
            "layers": [(name, labels[name]) for name in LAYERS],
            "exploitations": Exploitation.choices,
            "exploitation": exploitation,
            "edition": edition,
            "legend_scores": ["< 2", "2 - 3.5", "3.5 - 5", "5 - 6.5", "≥ 6.5"],
            "legend_counts": ["1 - 19", "20 - 49", "50 - 99", "100 - 499", "≥ 500"],
        },
    )
