"""Template helpers: a dictionary lookup, a status's words, the feedback figures of the service
directory and the 'information given' panel of the case page (so those apps' code never imports
this one: their templates load these tags)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils import timezone

from safepath.accounts.models import User
from safepath.participation import information
from safepath.participation.feedback_selectors import ServiceFigures, service_feedback_figures
from safepath.participation.forms import InformationGivenForm
from safepath.participation.models import ActionStatus, InformationGiven
from safepath.participation.policies import InformationAction, information_policy

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: Any) -> Any:
    return (mapping or {}).get(key, "")


@register.filter
def action_status(code: str) -> str:
    return str(dict(ActionStatus.choices).get(code, code))


@register.simple_tag
def feedback_figures(services: Iterable[Any]) -> dict[Any, ServiceFigures]:
    """Suppressed feedback figures for the services on a page of the directory (one query)."""
    return service_feedback_figures([service.id for service in services])


@register.inclusion_tag("participation/_service_figures.html")
def service_figures(figures: Mapping[Any, ServiceFigures], service: Any) -> dict[str, Any]:
    return {"figures": figures.get(service.id)}


@register.inclusion_tag("participation/_information_panel.html", takes_context=True)
def information_panel(context: template.Context, case: Any) -> dict[str, Any]:
    """What explanations the child was given, on the case overview; and the form to add one
    for someone who may edit the case."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not information_policy.user_may_for_case(
        user, InformationAction.VIEW, case
    ):
        return {"visible": False}
    language = (getattr(request, "LANGUAGE_CODE", "") or "en").split("-")[0]
    catalogue = information.catalogue()
    items = [
        {
            "item": item,
            "title": catalogue[item.topic].page(item.level, language).title
            if item.topic in catalogue
            else item.topic,
        }
        for item in InformationGiven.objects.filter(case=case).select_related("recorded_by")
    ]
    may_record = information_policy.user_may_for_case(user, InformationAction.RECORD, case)
    return {
        "visible": True,
        "case": case,
        "items": items,
        "form": InformationGivenForm(language=language, initial={"given_on": timezone.localdate()})
        if may_record
        else None,
        "csrf_token": context.get("csrf_token"),
    }
