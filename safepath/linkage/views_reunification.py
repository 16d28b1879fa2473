"""Web forms for the steps after a tracing match (verification by each side, follow-up visits)
and the agency's page of public-list entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.accounts.models import User
from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.cases.selectors import case_queryset
from safepath.core.exceptions import ApplicationError, FieldValidationError
from safepath.linkage import selectors as sel
from safepath.linkage import services as svc
from safepath.linkage.forms import FollowUpForm, ListingForm, VerificationForm
from safepath.linkage.models import PublicTracingListing
from safepath.linkage.policies import LinkageAction, linkage_policy


def _say(request: HttpRequest, error: ApplicationError) -> None:
    if isinstance(error, FieldValidationError):
        messages.error(request, " ".join(m for ms in error.fields.values() for m in ms))
    else:
        messages.error(request, error.message)


def candidate_record(request: HttpRequest, user: User) -> None:
    """A verification or a follow-up visit, posted from the tracing request's page."""
    try:
        candidate = sel.tracing_candidate_get(
            user=user, candidate_id=request.POST.get("candidate", "")
        )
        if request.POST.get("action") == "verify":
            form = VerificationForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say who confirms and how."))
                return
            svc.tracing_verification_record(
                user=user, candidate=candidate, channel=Channel.WEB, **form.cleaned_data
            )
            messages.success(request, _("The verification is recorded."))
        else:
            visit = FollowUpForm(request.POST)
            if not visit.is_valid():
                messages.error(request, _("Give the date and the outcome of the visit."))
                return
            svc.follow_up_visit_record(
                user=user, candidate=candidate, channel=Channel.WEB, **visit.cleaned_data
            )
            messages.success(request, _("The follow-up visit is recorded."))
    except ApplicationError as error:
        _say(request, error)


@login_required
@require_http_methods(["GET", "POST"])
def listings_page(request: HttpRequest) -> HttpResponse:
    """The agency's children on the public mass-tracing list; put one on it, or take one off."""
    user = signed_in_user(request)
    if not linkage_policy.user_has_permission(user, LinkageAction.TRACE):
        raise Http404
    visible = case_queryset(user=user)
    form = ListingForm(request.POST or None)
    if request.method == "POST":
        if "withdraw" in request.POST:
            listing = PublicTracingListing.objects.filter(
                pk=request.POST["withdraw"], case__in=visible
            ).first()
            if listing is None:
                raise Http404
            try:
                svc.tracing_listing_withdraw(user=user, listing=listing, channel=Channel.WEB)
                messages.success(request, _("The child is off the public list."))
            except ApplicationError as error:
                _say(request, error)
            return redirect("linkage:listings")
        if form.is_valid():
            case = visible.filter(reference=form.cleaned_data["reference"].strip().upper()).first()
            if case is None:
                form.add_error("reference", _("No case with this number in your cases."))
            else:
                try:
                    listing = svc.tracing_listing_publish(
                        user=user,
                        case=case,
                        region=form.cleaned_data["region"],
                        channel=Channel.WEB,
                    )
                except ApplicationError as error:
                    _say(request, error)
                else:
                    messages.success(
                        request,
                        _("Listed as %(reference)s.") % {"reference": listing.public_reference},
                    )
                    return redirect("linkage:listings")
    rows = (
        PublicTracingListing.objects.filter(case__in=visible)
        .select_related("case")
        .order_by("withdrawn_at", "-listed_at")[:200]
    )
    return render(request, "linkage/listings.html", {"form": form, "rows": rows})
