"""Pages anyone may open without signing in: information for children, feedback and its
tracking, and published consultation summaries. Tracking codes only ever travel in a POST
body, never in an address, and the pages that show one are never cached."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.participation import information
from safepath.participation.forms import FeedbackForm, StatusForm
from safepath.participation.models import FeedbackChannel, FeedbackStatus
from safepath.participation.selectors import published_summaries, published_summary
from safepath.participation.services.feedback import (
    TooManyAttemptsError,
    feedback_status,
    feedback_submit,
)
from safepath.participation.views.answering import language, place_of

LEVELS = {"younger", "older"}


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    place = place_of(request)
    base = {"kiosk": bool(place and place.kiosk), "lang": language()}
    return render(request, f"participation/child/{template}", {**base, **context}, status=status)


def client_address(request: HttpRequest) -> str:
    """The address the throttle counts by: the connection's peer (a deployment behind a proxy
    sets the proxy to pass the client's address as REMOTE_ADDR, see docs/deploy.md)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@require_GET
def information_index_page(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "younger")
    level = level if level in LEVELS else "younger"
    topics = [(topic, topic.page(level, language())) for topic in information.catalogue().values()]
    return _page(request, "information_index.html", topics=topics, level=level)


@require_GET
def information_page(request: HttpRequest, topic_id: str) -> HttpResponse:
    topic = information.catalogue().get(topic_id)
    if topic is None:
        raise Http404
    level = request.GET.get("level", "younger")
    level = level if level in LEVELS else "younger"
    others = [t for t in information.catalogue().values() if t.id != topic.id]
    return _page(
        request,
        "information.html",
        topic=topic,
        page=topic.page(level, language()),
        level=level,
        other_level="older" if level == "younger" else "younger",
        others=[(t, t.page(level, language())) for t in others],
    )


@require_http_methods(["GET", "POST"])
@never_cache
def feedback_page(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback, code = feedback_submit(
                kind=data["kind"],
                submitted_by=data["submitted_by"],
                service_id=data["service"],
                message=data["message"],
                about_worker=data.get("about_worker", ""),
                concerns_lead=bool(data.get("concerns_lead")),
                anonymous=data["anonymous"] == "yes",
                contact=form.contact(),
                language=language(),
                channel=FeedbackChannel.PHONE,
                audit_channel="web",
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            return _page(request, "feedback_sent.html", code=code, feedback=feedback)
    return _page(request, "feedback.html", status=400 if form.errors else 200, form=form)


@require_http_methods(["GET", "POST"])
@never_cache
def feedback_status_page(request: HttpRequest) -> HttpResponse:
    form = StatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = feedback_status(
                code=form.cleaned_data["tracking_code"], address=client_address(request)
            )
        except TooManyAttemptsError as error:
            response = _page(request, "feedback_status.html", status=429, form=form, throttled=True)
            response["Retry-After"] = str(error.retry_after)
            return response
        except NotFoundError as error:
            form.add_error("tracking_code", error.message)
        else:
            return _page(
                request,
                "feedback_status_result.html",
                feedback=feedback,
                steps=_steps(feedback.status),
            )
    return _page(request, "feedback_status.html", status=400 if form.errors else 200, form=form)


def _steps(status: str) -> list[tuple[str, bool]]:
    order = [
        FeedbackStatus.RECEIVED,
        FeedbackStatus.ACKNOWLEDGED,
        FeedbackStatus.RESPONDED,
        FeedbackStatus.CLOSED,
    ]
    reached = order.index(FeedbackStatus(status))
    return [(str(step.label), i <= reached) for i, step in enumerate(order)]


@require_GET
def summary_list_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "summaries.html", summaries=list(published_summaries()[:50]))


@require_GET
def summary_page(request: HttpRequest, release_id: uuid.UUID) -> HttpResponse:
    try:
        release = published_summary(release_id)
    except NotFoundError:
        raise Http404 from None
    content = (release.result or {}).get("participation") or {}
    return _page(request, "summary.html", release=release, content=content)
