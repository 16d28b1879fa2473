"""Finance pages: upload and run, the queue, the evidence, the decision, the report, metrics.

Thin: selectors and services do the work. Outside the financial analyst role every page is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache, wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Channel
from safepath.core.dates import moment
from safepath.core.exceptions import (
    ApplicationError,
    ConflictError,
    FieldValidationError,
    NotFoundError,
)
from safepath.finance.apis import report_attachment
from safepath.finance.forms import AlertSearchForm, DispositionForm, RunUploadForm
from safepath.finance.models import AlertStatus, FinancialAlert, RunStatus
from safepath.finance.policies import FinanceAction
from safepath.finance.selectors import (
    alert_for_action,
    alert_get,
    alert_list,
    audit_alert_reads,
    finance_access_require,
    report_for_download,
    rule_metrics,
    run_get,
    run_list,
)
from safepath.finance.services import alert_dispose, alert_report, screening_run_start

View = Callable[..., HttpResponse]

CUSTOMER_LABELS = {
    "customer_id": gettext_lazy("Customer"),
    "customer_type": gettext_lazy("Type"),
    "open_date": gettext_lazy("Account opened"),
    "occupation": gettext_lazy("Occupation"),
    "residence_country": gettext_lazy("Country of residence"),
    "residence_city": gettext_lazy("City of residence"),
    "nationality": gettext_lazy("Nationality"),
    "birth_year": gettext_lazy("Year of birth"),
    "expected_monthly_volume": gettext_lazy("Expected monthly volume"),
}


@cache
def rule_descriptions() -> dict[str, str]:
    """Each rule's explanation in words, from the rule files (read once per process)."""
    from safepath.finance.engine import load_rules

    return {rule.id: rule.description for rule in load_rules()}


def finance_page(view: View) -> View:
    """Signed in, and a record (or the area) the user may not see is a plain 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None

    return login_required(wrapped)


@finance_page
@require_http_methods(["GET", "POST"])
def queue_page(request: HttpRequest) -> HttpResponse:
    """The agency's alerts, highest score first; open ones unless another status is chosen.

    A customer id is searched by POST, so that it stays out of URLs, history and logs.
    """
    user = signed_in_user(request)
    search = AlertSearchForm(request.POST or None)
    customer_id = search.cleaned_data["customer_id"] if search.is_valid() else ""
    wanted = request.GET.get("status", "" if customer_id else AlertStatus.OPEN)
    status = wanted if wanted in AlertStatus.values else ""
    alerts = alert_list(user=user, status=status, customer_id=customer_id)
    page = Paginator(alerts, 25).get_page(request.GET.get("page"))
    audit_alert_reads(user=user, alerts=list(page.object_list), channel=Channel.WEB)
    return render(
        request,
        "finance/queue.html",
        {"page": page, "status": status, "statuses": AlertStatus.choices, "search": search},
    )


@finance_page
@require_http_methods(["GET", "POST"])
def run_new_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    finance_access_require(user=user, action=FinanceAction.SCREEN)
    form = RunUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = screening_run_start(
                user=user,
                files={
                    role: form.cleaned_data.get(role)
                    for role in ("transactions", "customers", "mapping")
                },
                base_currency=form.cleaned_data["base_currency"],
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            return redirect("finance:run", run_id=run.id)
    runs = list(run_list(user=user)[:10])
    status = 400 if form.errors else 200
    return render(request, "finance/run_new.html", {"form": form, "runs": runs}, status=status)


@finance_page
@require_GET
def run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    run = run_get(user=signed_in_user(request), run_id=run_id)
    working = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    return render(request, "finance/run.html", {"run": run, "working": working})


def _customer_facts(record: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The profile row with labels in the reader's language, known fields first."""
    known = [(label, record[name]) for name, label in CUSTOMER_LABELS.items() if name in record]
    other = [(name, value) for name, value in sorted(record.items()) if name not in CUSTOMER_LABELS]
    return known + other


# The alert page shows this many transactions; the rest fold into a "show the others" part.
TRANSACTIONS_SHOWN = 20


def _moment(value: Any) -> str:
    """A transaction's ISO time as pages show moments; what does not parse, as it came."""
    try:
        return moment(datetime.fromisoformat(str(value)))
    except ValueError:
        return "" if value is None else str(value)


def _alert_context(alert: FinancialAlert, form: DispositionForm | None = None) -> dict[str, Any]:
    """Each rule with the references of its transactions, and every transaction once (rules
    often share them: listing them under each rule made one page 5,700 px tall), by time."""
    rows = {str(row.get("txn_id")): row for row in alert.evidence_transactions}
    descriptions = rule_descriptions()
    rules_of: dict[str, list[str]] = {}
    hits = []
    for hit in alert.hits.all():
        for txn_id in hit.evidence_txn_ids:
            if txn_id in rows and hit.rule_id not in rules_of.setdefault(txn_id, []):
                rules_of[txn_id].append(hit.rule_id)
        hits.append(
            {
                "hit": hit,
                "description": descriptions.get(hit.rule_id, ""),
                "parameters": sorted(hit.parameters.items()),
                "transactions": [t for t in hit.evidence_txn_ids if t in rows],
                "missing": [t for t in hit.evidence_txn_ids if t not in rows],
            }
        )
    transactions = sorted(
        (
            {**rows[txn_id], "rules": rules, "when": _moment(rows[txn_id].get("ts_utc"))}
            for txn_id, rules in rules_of.items()
        ),
        key=lambda row: (str(row.get("ts_utc") or ""), str(row.get("txn_id"))),
    )
    return {
        "alert": alert,
        "hits": hits,
        "transactions_shown": transactions[:TRANSACTIONS_SHOWN],
        "transactions_more": transactions[TRANSACTIONS_SHOWN:],
        "customer": _customer_facts(alert.customer_record),
        "form": form or DispositionForm(initial={"version": alert.version}),
        "can_report": alert.status == AlertStatus.REPORTED,
    }


@finance_page
@require_GET
def alert_page(request: HttpRequest, alert_id: str) -> HttpResponse:
    """The evidence: rules in words, the transactions behind each, parameters, the checklist."""
    alert = alert_get(user=signed_in_user(request), alert_id=alert_id, channel=Channel.WEB)
    return render(request, "finance/alert.html", _alert_context(alert))


@finance_page
@require_POST
def alert_dispose_page(request: HttpRequest, alert_id: str) -> HttpResponse:
    user = signed_in_user(request)
    alert = alert_for_action(user=user, alert_id=alert_id, action=FinanceAction.DISPOSE)
    form = DispositionForm(request.POST)
    conflict = ""
    if form.is_valid():
        try:
            alert_dispose(
                user=user,
                alert=alert,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
            )
        except FieldValidationError as error:
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        except ConflictError as error:
            conflict = error.message
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("finance:alert", alert_id=alert.id)
    fresh = alert_get(user=user, alert_id=alert_id, channel=Channel.WEB)
    if conflict:  # show the alert as it is now; the analyst's words stay in the form
        form = DispositionForm(
            initial={
                "version": fresh.version,
                "decision": form.cleaned_data["decision"],
                "reason": form.cleaned_data["reason"],
            }
        )
    context = {**_alert_context(fresh, form), "conflict": conflict}
    return render(request, "finance/alert.html", context, status=409 if conflict else 400)


@finance_page
@require_POST
def alert_report_page(request: HttpRequest, alert_id: str) -> HttpResponse:
    user = signed_in_user(request)
    alert = alert_for_action(user=user, alert_id=alert_id, action=FinanceAction.REPORT)
    try:
        report = alert_report(
            user=user, alert=alert, profile=request.POST.get("profile", ""), channel=Channel.WEB
        )
    except FieldValidationError as error:
        messages.error(request, " ".join(m for ms in error.fields.values() for m in ms))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if report.valid:
            messages.success(request, _("Report generated."))
        else:
            messages.error(request, _("The report was generated but failed validation."))
    return redirect("finance:alert", alert_id=alert.id)


@finance_page
@require_GET
def report_download_page(request: HttpRequest, report_id: str) -> HttpResponse:
    report = report_for_download(
        user=signed_in_user(request), report_id=report_id, channel=Channel.WEB
    )
    return report_attachment(report)


@finance_page
@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    metrics = rule_metrics(user=signed_in_user(request))
    return render(request, "finance/metrics.html", {"metrics": metrics})
