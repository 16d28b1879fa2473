"""Pages for the administrator: webhook subscriptions (make, pause, resume, rotate the secret,
send a test), each one's delivery log with a replay button, and API clients. Thin: services
and selectors do the work; a secret or key is shown once, on the page that made it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.notify import clients, webhooks
from safepath.notify.selectors import api_client_list, webhook_delivery_log, webhook_list
from safepath.notify.webhook_forms import ClientForm, SubscriptionForm


def _or_404(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except NotFoundError:
        raise Http404 from None


def _form_errors(form: Any, error: FieldValidationError) -> None:
    for name, problems in error.fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@login_required
@require_http_methods(["GET", "POST"])
def list_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    subscriptions = _or_404(lambda: list(webhook_list(user=user)))
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = webhooks.webhook_subscribe(
                user=user, data=webhooks.SubscriptionInput(**form.cleaned_data), channel=Channel.WEB
            )
        except FieldValidationError as error:
            _form_errors(form, error)
        else:
            return render(
                request,
                "notifications/webhooks/secret.html",
                {"subscription": subscription, "secret": secret},
            )
    return render(
        request,
        "notifications/webhooks/list.html",
        {"subscriptions": subscriptions, "form": form},
    )


@login_required
def detail_page(request: HttpRequest, subscription_id: str) -> HttpResponse:
    user = signed_in_user(request)
    subscription = _or_404(
        lambda: webhooks.subscription_get(user=user, subscription_id=subscription_id)
    )
    status = request.GET.get("status", "")
    log = webhook_delivery_log(user=user, subscription=subscription, status=status)
    page = Paginator(log, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/webhooks/detail.html",
        {"subscription": subscription, "page": page, "status": status},
    )


@login_required
@require_POST
def action_page(request: HttpRequest, subscription_id: str, action: str) -> HttpResponse:
    """Pause, resume, rotate the secret, or send a test message."""
    user = signed_in_user(request)
    common: dict[str, Any] = {
        "user": user,
        "subscription_id": subscription_id,
        "channel": Channel.WEB,
    }
    if action == "rotate":
        subscription, secret = _or_404(lambda: webhooks.webhook_secret_rotate(**common))
        return render(
            request,
            "notifications/webhooks/secret.html",
            {"subscription": subscription, "secret": secret},
        )
    if action == "test":
        _or_404(lambda: webhooks.webhook_send_test(**common))
        messages.success(request, _("A test message is queued; the worker sends it."))
    else:
        _or_404(lambda: webhooks.webhook_set_paused(**common, paused=action == "pause"))
        messages.success(
            request,
            _("The subscription is paused.")
            if action == "pause"
            else _("The subscription is active again."),
        )
    return redirect("webhooks:detail", subscription_id)


@login_required
@require_POST
def replay_page(request: HttpRequest, delivery_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        replay = webhooks.webhook_replay(user=user, delivery_id=delivery_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("webhooks:list")
    messages.success(request, _("The message will be sent again."))
    return redirect("webhooks:detail", replay.subscription_id)


@login_required
@require_http_methods(["GET", "POST"])
def clients_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    found = _or_404(lambda: list(api_client_list(user=user)))
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, key = clients.api_client_create(
                user=user, data=clients.ClientInput(**form.cleaned_data), channel=Channel.WEB
            )
        except FieldValidationError as error:
            _form_errors(form, error)
        else:
            return render(
                request, "notifications/webhooks/key.html", {"client": client, "key": key}
            )
    return render(request, "notifications/webhooks/clients.html", {"clients": found, "form": form})


@login_required
@require_POST
def client_action_page(request: HttpRequest, client_id: str, action: str) -> HttpResponse:
    user = signed_in_user(request)
    if action == "rotate":
        client, key = _or_404(
            lambda: clients.api_client_rotate(user=user, client_id=client_id, channel=Channel.WEB)
        )
        return render(request, "notifications/webhooks/key.html", {"client": client, "key": key})
    _or_404(lambda: clients.api_client_revoke(user=user, client_id=client_id, channel=Channel.WEB))
    messages.success(request, _("The client's key no longer works."))
    return redirect("webhooks:clients")
