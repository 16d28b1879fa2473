"""Pages: partners and the message log (administrators, the DPO); transfers for caseworkers and
supervisors (prepare, see the package, approve; answer what arrives). Thin: selectors and
services do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.models import Case, Child
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action, case_queryset
from safepath.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from safepath.exchange import selectors, services
from safepath.exchange.policies import may_handle_transfers
from safepath.exchange.services.transfers import TransferRefusedError

WEB = Channel.WEB


def package_rows(package: dict[str, Any]) -> list[tuple[str, str]]:
    """The package as label and value, in the order it is built: what the page shows is what
    leaves (each child field under its own label)."""
    rows = []
    for key, value in package.items():
        if key == "child" and isinstance(value, dict):
            rows += [(_label(Child, name), _shown(item)) for name, item in value.items()]
        elif key in ("family", "notes") and isinstance(value, list):
            rows += [(_label(Case, key), _shown(item)) for item in value]
        else:
            rows.append((_label(Case, key), _shown(value)))
    return rows


def _label(model: type[Any], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name.replace("_", " ")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown(v)}" for k, v in value.items() if v not in ("", None))
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return "" if value is None else str(value)


@login_required
def partners_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        partners = list(selectors.partner_list(user=user))
        log = list(selectors.message_log(user=user)[:50])
    except PermissionDeniedError:
        raise Http404 from None
    return render(request, "exchange/partners.html", {"partners": partners, "log": log})


@login_required
def transfers_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not may_handle_transfers(user):
        raise Http404
    reference = request.GET.get("reference", "").strip().upper()
    if reference:
        case = case_queryset(user=user, action=CaseAction.SHARE).filter(reference=reference)
        found = case.first()
        if found is not None:
            return redirect("exchange:prepare", case_id=found.id)
        messages.error(request, _("No case with this number that you may share."))
    return render(
        request,
        "exchange/transfers.html",
        {
            "outgoing": selectors.transfer_list(user=user)[:100],
            "incoming": selectors.incoming_list(user=user)[:100],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def prepare_page(request: HttpRequest, case_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.SHARE)
    except (NotFoundError, PermissionDeniedError):
        raise Http404 from None
    partners = selectors.partners_for_transfer(user=user)
    refusals: list[str] = []
    if request.method == "POST":
        partner_id, _sep, agency_id = request.POST.get("target", "").partition(":")
        partner = next((p for p in partners if str(p.id) == partner_id), None)
        agency = (
            next((a for a in partner.agencies.all() if str(a.id) == agency_id), None)
            if partner
            else None
        )
        if partner is None or agency is None:
            refusals = [_("Choose the partner instance and the agency the case goes to.")]
        else:
            try:
                transfer = services.transfer_prepare(
                    user=user, case=case, partner=partner, recipient_agency=agency, channel=WEB
                )
            except TransferRefusedError as error:
                refusals = [str(r) for r in error.refusals]
            except ApplicationError as error:
                refusals = [error.message]
            else:
                return redirect("exchange:transfer", transfer_id=transfer.id)
    choices = [(p, list(p.agencies.all())) for p in partners]
    return render(
        request,
        "exchange/prepare.html",
        {"case": case, "choices": choices, "refusals": refusals},
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_page(request: HttpRequest, transfer_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        transfer = selectors.transfer_get(user=user, transfer_id=transfer_id, channel=WEB)
    except NotFoundError:
        raise Http404 from None
    refusals: list[str] = []
    if request.method == "POST":
        try:
            services.transfer_approve(user=user, transfer=transfer, channel=WEB)
        except TransferRefusedError as error:
            refusals = [str(r) for r in error.refusals]
        except ApplicationError as error:
            refusals = [error.message]
        else:
            messages.success(request, _("Approved: the package is sealed and on its way."))
            return redirect("exchange:transfer", transfer_id=transfer.id)
    return render(
        request,
        "exchange/transfer.html",
        {
            "transfer": transfer,
            "rows": package_rows(transfer.package),
            "refusals": refusals,
            "may_approve": transfer.status == "prepared"
            and transfer.prepared_by_id != user.id
            and user.role == "supervisor",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incoming_page(request: HttpRequest, message_id: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        message = selectors.incoming_get(user=user, message_id=message_id, channel=WEB)
    except NotFoundError:
        raise Http404 from None
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                case = services.transfer_accept(user=user, message=message, channel=WEB)
                messages.success(request, _("Accepted: the case is now %(ref)s.") % {"ref": case})
                return redirect("cases:detail", case_id=case.id)
            services.transfer_decline(user=user, message=message, channel=WEB)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Declined: the package was dropped and the sender told."))
        return redirect("exchange:transfers")
    body = message.body or {}
    return render(
        request,
        "exchange/incoming.html",
        {
            "message": message,
            "agency": message.agency,
            "rows": package_rows(body.get("package") or {}),
            "categories": body.get("categories") or [],
        },
    )
