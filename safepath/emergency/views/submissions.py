"""Importing an ODK Collect / KoboToolbox export from the browser: the file is checked whole and
imported all or nothing (the same import as ``safepath emergency import-submissions``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from safepath.accounts.selectors import signed_in_user
from safepath.cases.importing import ImportFileError
from safepath.core.uploads import upload_limit_text
from safepath.emergency import fieldform
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.services.submissions import SubmissionReport, submissions_import


class SubmissionsForm(forms.Form):
    export = forms.FileField(
        label=_("Export of the submissions (CSV or JSON)"),
        help_text=_(
            "From KoboToolbox (Downloads: CSV or JSON) or ODK Central (CSV or OData JSON)."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def submissions_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not emergency_policy.user_has_permission(user, EmergencyAction.IMPORT):
        raise Http404
    form = SubmissionsForm(request.POST or None, request.FILES or None)
    report: SubmissionReport | None = None
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["export"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".json") or upload.size > settings.MAX_UPLOAD_BYTES:
            form.add_error(
                "export",
                _("Give a CSV or JSON file of at most %(limit)s.") % {"limit": upload_limit_text()},
            )
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"submissions{suffix}"
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                try:
                    report = submissions_import(
                        path=path, user=user, dry_run=form.cleaned_data["dry_run"]
                    )
                except ImportFileError as error:
                    problem = str(error).replace(str(path), upload.name)
    return render(
        request,
        "emergency/submissions.html",
        {
            "form": form,
            "report": report,
            "problem": problem,
            "versions": fieldform.definition().accepted_versions,
        },
        status=400 if (form.errors or problem or (report and report.problems)) else 200,
    )
