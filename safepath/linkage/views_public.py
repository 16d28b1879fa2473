"""The public mass-tracing list: anyone may read it, with no sign-in. Each line is a child's
public reference and region, never a name, a photograph or a case number; a family that
recognises nothing here still learns where to ask, and brings the reference to the agency."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safepath.linkage.services import public_listings, public_regions


@require_GET
def public_list_page(request: HttpRequest) -> HttpResponse:
    region = str(request.GET.get("region", ""))[:100]
    rows = list(public_listings(region=region)[:2000])
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="tracing-list.csv"'
        writer = csv.writer(response)
        writer.writerow(["reference", "region"])
        for row in rows:
            writer.writerow([row.public_reference, row.region])
        return response
    return render(
        request,
        "linkage/public_list.html",
        {"rows": rows, "region": region, "regions": public_regions()},
    )
