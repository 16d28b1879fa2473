"""Sign-in (password, then a second factor where the role needs one), sign-out, lockout."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepath.accounts.forms import RecoveryCodeForm, SignInForm, TwoFactorForm
from safepath.accounts.models import User
from safepath.accounts.recovery import (
    RecoveryCodesRefusedError,
    recovery_code_use,
    recovery_codes_issue,
    recovery_codes_remaining,
)
from safepath.accounts.services import (
    SignInError,
    TwoFactorThrottledError,
    sign_in_check,
    totp_device_confirm,
    totp_device_start,
    two_factor_is_satisfied,
    verify_totp,
)
from safepath.accounts.sso.providers import configured_providers
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import error_body


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except SignInError:
            error = _("The username or password is not right.")
        else:
            login(request, user)
            audit_record(
                actor=Actor.of(user, Channel.WEB),
                action=Action.LOGIN,
                object_type="user",
                object_id=user.id,
            )
            if not two_factor_is_satisfied(user, verified=False):
                return redirect(f"/accounts/two-factor/?{urlencode({'next': _next_url(request)})}")
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "error": error,
            "next": _next_url(request),
            "sso_providers": configured_providers(),
        },
        status=400 if error else 200,
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code; a user without an authenticator first adds one (shown as a QR code)."""
    user: User = request.user  # type: ignore[assignment]
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    form = TwoFactorForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "next": _next_url(request), "enrolling": not confirmed}
    if confirmed:
        recovery = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None)
        context["recovery_form"] = recovery
        if "recovery_code" in request.POST:
            form = context["form"] = TwoFactorForm()
            if recovery.is_valid():
                try:
                    used = recovery_code_use(user=user, code=recovery.cleaned_data["recovery_code"])
                except TwoFactorThrottledError as throttled:
                    used, context["error"] = None, throttled.message
                if used is not None:
                    otp_login(request, used)
                    return redirect("accounts:recovery_codes")
                context.setdefault("error", _("That recovery code is not right, or was used."))
        elif request.method == "POST" and form.is_valid():
            try:
                device = verify_totp(user, form.cleaned_data["code"])
            except TwoFactorThrottledError as throttled:
                device, context["error"] = None, throttled.message
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            context.setdefault("error", _("That code is not right. Codes change every 30 seconds."))
    else:
        device_id = request.session.get("enrolling_device")
        device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()
        if device is None:
            device = totp_device_start(user=user)
            request.session["enrolling_device"] = device.pk
        if request.method == "POST" and form.is_valid():
            try:
                confirmed_now = totp_device_confirm(
                    user=user, device=device, code=form.cleaned_data["code"]
                )
            except TwoFactorThrottledError as throttled:
                confirmed_now = False
                context["error"] = throttled.message
            if confirmed_now:
                otp_login(request, device)
                request.session.pop("enrolling_device", None)
                # Next: the recovery codes that stand in for this phone if it is lost.
                return redirect(
                    reverse("accounts:recovery_codes")
                    + "?"
                    + urlencode({"next": _next_url(request)})
                )
            context.setdefault("error", _("That code is not right. Codes change every 30 seconds."))
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request, "accounts/two_factor.html", context, status=400 if context.get("error") else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and new ones on request (shown once). Only after the
    second factor: with a password alone, nobody may make codes that stand in for it."""
    user: User = request.user  # type: ignore[assignment]
    if not user.is_verified():  # type: ignore[attr-defined]
        return redirect(reverse("accounts:two_factor") + "?" + urlencode({"next": request.path}))
    context: dict[str, Any] = {"next": _next_url(request), "codes": None}
    if request.method == "POST":
        try:
            context["codes"] = recovery_codes_issue(user=user)
        except RecoveryCodesRefusedError as refused:
            context["error"] = refused.message
    context["remaining"] = recovery_codes_remaining(user)
    response = render(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            actor=Actor.of(request.user, Channel.WEB),
            action=Action.LOGOUT,
            object_type="user",
            object_id=request.user.pk,
        )
    logout(request)
    return redirect("accounts:login")


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this once an account is locked after repeated failures."""
    message = _(
        "Too many failed sign-ins. This account is locked for a while; try again later "
        "or ask your administrator."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(message, "locked_out"), status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
