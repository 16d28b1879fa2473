"""Uploaded documents: one size limit (SAFEPATH_MAX_UPLOAD_BYTES, 10 MB) through the API and the
form alike, as the form, the docs and the proxy configuration say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from safepath.accounts.models import User
from safepath.cases.forms import DocumentForm
from safepath.cases.models import Case, CaseDocument
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

ROOT = Path(__file__).resolve().parents[3]
TEN_MB = 10 * 1024 * 1024


def _pdf(size: int) -> bytes:
    """A synthetic PDF of exactly ``size`` bytes (a header and a comment padding it out)."""
    head = b"%PDF-1.4\n% synthetic test document\n%"
    return head + b"x" * (size - len(head))


def _api_upload(case: Case, user: User, content: bytes) -> tuple[int, dict[str, object]]:
    response = api_client_for(user).post(
        f"/api/v1/cases/{case.id}/documents/",
        {"title": "Scan", "file": SimpleUploadedFile("scan.pdf", content)},
        format="multipart",
    )
    return response.status_code, response.json()


def _form_upload(case: Case, user: User, content: bytes) -> tuple[int, str]:
    response = web_client_for(user).post(
        f"/cases/{case.id}/do/document/",
        {"document-title": "Scan", "document-file": SimpleUploadedFile("scan.pdf", content)},
    )
    return response.status_code, response.content.decode()


def test_the_default_limit_is_ten_megabytes_and_the_form_says_so() -> None:
    assert settings.MAX_UPLOAD_BYTES == TEN_MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == TEN_MB
    assert DocumentForm().fields["file"].help_text == "A PDF, PNG or JPEG file up to 10 MB."


@pytest.mark.django_db
def test_a_file_at_the_limit_is_accepted_and_one_byte_more_refused_through_the_api(
    caseworker_a: User,
) -> None:
    case = register_case(caseworker_a)
    status, body = _api_upload(case, caseworker_a, _pdf(TEN_MB))
    assert status == 201, body
    status, body = _api_upload(case, caseworker_a, _pdf(TEN_MB + 1))
    assert status == 400
    assert body["fields"] == {"file": ["The file is larger than 10 MB."]}
    assert CaseDocument.objects.count() == 1


@pytest.mark.django_db
def test_a_file_at_the_limit_is_accepted_and_one_byte_more_refused_through_the_form(
    caseworker_a: User,
) -> None:
    case = register_case(caseworker_a)
    status, _html = _form_upload(case, caseworker_a, _pdf(TEN_MB))
    assert status == 302
    status, html = _form_upload(case, caseworker_a, _pdf(TEN_MB + 1))
    assert status == 400
    assert "The file is larger than 10 MB." in html
    assert CaseDocument.objects.count() == 1


@pytest.mark.django_db
def test_a_request_far_over_the_limit_is_refused_before_it_is_read(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    status, body = _api_upload(case, caseworker_a, _pdf(TEN_MB + 128 * 1024))
    assert status == 413
    assert body["code"] == "too_large"
    assert not CaseDocument.objects.exists()


@pytest.mark.django_db
def test_a_smaller_limit_set_by_the_operator_applies_to_the_api_and_the_form(
    caseworker_a: User, settings: object
) -> None:
    settings.MAX_UPLOAD_BYTES = 512 * 1024  # type: ignore[attr-defined]
    case = register_case(caseworker_a)
    assert _api_upload(case, caseworker_a, _pdf(512 * 1024))[0] == 201
    assert _api_upload(case, caseworker_a, _pdf(512 * 1024 + 1))[1]["fields"] == {
        "file": ["The file is larger than 512 KB."]
    }
    assert "larger than 512 KB" in _form_upload(case, caseworker_a, _pdf(512 * 1024 + 1))[1]
    assert DocumentForm().fields["file"].help_text == "A PDF, PNG or JPEG file up to 512 KB."


@pytest.mark.parametrize("path", ["docs/deploy.md", "deploy/nginx-smoke.conf"])
def test_the_proxy_configuration_lets_an_upload_at_the_limit_through(path: str) -> None:
    sizes = re.findall(r"client_max_body_size (\d+)m;", (ROOT / path).read_text("utf-8"))
    assert sizes
    for megabytes in sizes:
        assert int(megabytes) << 20 >= settings.MAX_UPLOAD_BYTES + settings.UPLOAD_ENVELOPE_BYTES


# Harmless synthetic polyglots: a real file type's first bytes, then markup a browser would run
# if it were ever read as HTML (the script does nothing but show a word).
PNG_HEAD = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
)
POLYGLOTS = {
    "pdf with a page": b"%PDF-1.4\n%<html><body><script>alert('x')</script></body></html>\n",
    "png with a script after IEND": PNG_HEAD
    + b"IEND\xaeB`\x82<ScRiPt >document.title='x'</script>",
    "jpeg with an svg in a comment": b"\xff\xd8\xff\xfe\x00\x30"
    + b"<svg xmlns='http://www.w3.org/2000/svg' onload='x'>",
    "pdf with a javascript link": b"%PDF-1.7\n1 0 obj << /URI (javascript:void(0)) >> endobj\n",
}
CLEAN = {
    "pdf with xmp metadata and hex strings": b"%PDF-1.7\n<?xpacket begin='' id='W5M0'?>"
    b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF></rdf:RDF></x:xmpmeta>\n"
    b"<< /Title <FEFF0041> /Length 3 >>\nstream\n<a1 b2>\nendstream\n",
    "png": PNG_HEAD + b"IDAT<<>>IEND",
}


@pytest.mark.parametrize("name", sorted(POLYGLOTS))
def test_a_pdf_or_image_with_html_inside_is_refused(name: str) -> None:
    from safepath.cases.documents import check_upload
    from safepath.core.exceptions import FieldValidationError

    with pytest.raises(FieldValidationError) as refused:
        check_upload(POLYGLOTS[name])
    assert "markup (HTML)" in refused.value.fields["file"][0]


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_ordinary_metadata_and_pdf_syntax_are_not_taken_for_html(name: str) -> None:
    from safepath.cases.documents import check_upload

    assert check_upload(CLEAN[name]).content == CLEAN[name]


@pytest.mark.django_db
def test_a_polyglot_is_refused_through_the_api_and_the_form_and_nothing_is_stored(
    caseworker_a: User,
) -> None:
    case = register_case(caseworker_a)
    status, body = _api_upload(case, caseworker_a, POLYGLOTS["pdf with a page"])
    assert status == 400
    assert "markup (HTML)" in str(body["fields"])
    status, html = _form_upload(case, caseworker_a, POLYGLOTS["png with a script after IEND"])
    assert status == 400
    assert "markup (HTML)" in html
    assert not CaseDocument.objects.exists()
