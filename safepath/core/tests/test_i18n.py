"""The web shell's translations: catalogs complete and compiled, pages in each language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from safepath.accounts.roles import Role
from safepath.core import i18n_compile, i18n_extract

SHIPPED = ("fr", "es", "ar")


def test_every_catalog_is_translated_checked_and_compiled() -> None:
    assert i18n_compile.check() == []
    languages = {path.parent.parent.name for path in i18n_compile.catalog_paths()}
    assert languages == set(SHIPPED)
    assert i18n_compile.main(["--check"]) == 0


def test_every_shipped_language_is_offered() -> None:
    offered = {code for code, _name in settings.LANGUAGES}
    assert offered == {"en", *SHIPPED}


@pytest.fixture
def french_copy(tmp_path: Path) -> Path:
    """A compiled copy of the French catalog to break."""
    shutil.copytree(i18n_compile.LOCALE_DIR / "fr", tmp_path / "fr")
    return tmp_path / "fr" / "LC_MESSAGES" / "django.po"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_names_the_file_and_msgid_of_a_placeholder_mismatch(french_copy: Path) -> None:
    _replace(french_copy, 'msgstr "Bienvenue, %(name)s"', 'msgstr "Bienvenue, {{ name }}"')

    found = i18n_compile.check(french_copy.parents[2])

    assert len(found) == 1
    assert str(french_copy) in found[0]
    assert "msgid 'Welcome, %(name)s': python-format mismatch" in found[0]
    assert i18n_compile.main(["--check", "--locale-dir", str(french_copy.parents[2])]) == 1


def test_check_names_an_untranslated_msgid_and_compiling_writes_nothing(
    french_copy: Path,
) -> None:
    _replace(french_copy, 'msgstr "Continuer"', 'msgstr ""')
    mo = i18n_compile.mo_path(french_copy)
    before = mo.read_bytes()

    assert i18n_compile.main(["--locale-dir", str(french_copy.parents[2])]) == 1
    assert [str(problem) for problem in i18n_compile.catalog_problems(french_copy)] == [
        f"{french_copy}: msgid 'Continue': is not translated"
    ]
    assert mo.read_bytes() == before


def test_check_fails_when_a_mo_is_stale_until_it_is_compiled(french_copy: Path) -> None:
    _replace(french_copy, 'msgstr "Continuer"', 'msgstr "Poursuivre"')
    locale_dir = french_copy.parents[2]

    assert i18n_compile.check(locale_dir) == [
        f"{i18n_compile.mo_path(french_copy)}: out of date with its .po; run `make messages`"
    ]
    assert i18n_compile.main(["--locale-dir", str(locale_dir)]) == 0
    assert i18n_compile.check(locale_dir) == []


def test_python_strings_are_translated() -> None:
    with translation.override("ar"):
        assert str(Role.CASEWORKER.label) == "أخصائي اجتماعي"
    with translation.override("fr"):
        assert str(Role.CASEWORKER.label) == "Intervenant social"
    with translation.override("es"):
        assert str(Role.CASEWORKER.label) == "Gestor de casos"


@pytest.mark.parametrize(
    ("language", "direction", "sign_in"),
    [
        ("ar", "rtl", "تسجيل الدخول"),
        ("fr", "ltr", "Se connecter"),
        ("es", "ltr", "Iniciar sesión"),
        ("en", "ltr", "Sign in"),
    ],
)
@pytest.mark.parametrize("chosen_by", ["cookie", "accept-language"])
def test_sign_in_page_is_in_the_chosen_language(
    client: Client, language: str, direction: str, sign_in: str, chosen_by: str
) -> None:
    if chosen_by == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/accounts/login/")
    else:
        response = client.get("/accounts/login/", headers={"accept-language": language})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f"<h1>{sign_in}</h1>" in html
    assert f'<button type="submit">{sign_in}</button>' in html
    assert response["Content-Language"] == language


# --- Every message of the code is in every catalog ---------------------------------------------


def test_no_message_of_the_code_is_missing_from_a_catalog() -> None:
    messages = i18n_extract.extract_messages()

    assert len(messages) > 100
    assert [str(missing) for missing in i18n_compile.missing_messages(messages=messages)] == []
    assert i18n_compile.main(["--missing"]) == 0


def test_the_static_500_page_and_the_tests_are_left_out() -> None:
    used_in = {
        location.path
        for message in i18n_extract.extract_messages()
        for location in message.locations
    }

    assert i18n_extract.PACKAGE_DIR / "core" / "templates" / "500.html" not in used_in
    assert i18n_extract.PACKAGE_DIR / "core" / "templates" / "base.html" in used_in
    assert not any({"tests", "migrations"} & set(path.parts) for path in used_in)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_template_message_is_reported_missing_from_each_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = _write(
        tmp_path / "app" / "templates" / "app" / "page.html",
        '{% load i18n %}\n<h1>{% translate "Sign in" %}</h1>\n'
        '<p>{% translate "A sentence no catalog has" %}</p>\n',
    )
    _write(tmp_path / "app" / "not_a_template.html", '{% translate "Outside templates/" %}')
    _write(tmp_path / "app" / "tests" / "templates" / "t.html", '{% translate "In tests/" %}')
    messages = i18n_extract.extract_messages([tmp_path])

    missing = i18n_compile.missing_messages(messages=messages)

    assert [m.msgid for m in messages] == ["Sign in", "A sentence no catalog has"]
    assert [(m.path.parent.parent.name, m.message.msgid) for m in missing] == [
        (language, "A sentence no catalog has") for language in sorted(SHIPPED)
    ]
    assert missing[0].message.locations == [i18n_extract.Location(page, 3)]
    reported = "msgid 'A sentence no catalog has': is missing from the catalog; used at"
    assert str(missing[0]).endswith(f"ar/LC_MESSAGES/django.po: {reported} {page}:3")

    for mode in ("--missing", "--check"):
        assert i18n_compile.main([mode, "--source-dir", str(tmp_path)]) == 1
        errors = capsys.readouterr().err.splitlines()
        *lines, summary = [line for line in errors if not line.startswith("warning: ")]
        assert summary == "Messages missing from the catalogs: 1 in ar, 1 in es, 1 in fr."
        assert len(lines) == len(SHIPPED)
        for line, language in zip(lines, sorted(SHIPPED), strict=True):
            assert line.endswith(f"{language}/LC_MESSAGES/django.po: {reported} {page}:3")


def test_a_catalog_entry_nothing_uses_is_only_a_warning(
    french_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with french_copy.open("a", encoding="utf-8") as catalog:
        catalog.write('\nmsgid "Nobody says this any more"\nmsgstr "Plus personne ne dit cela"\n')
    locale_dir = french_copy.parents[2]
    assert i18n_compile.main(["--locale-dir", str(locale_dir)]) == 0
    source = _write(tmp_path / "src" / "templates" / "p.html", '{% translate "Continue" %}')
    capsys.readouterr()

    arguments = ["--locale-dir", str(locale_dir), "--source-dir", str(source.parents[1])]
    assert i18n_compile.main(["--check", *arguments]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert (
        f"warning: {french_copy}: msgid 'Nobody says this any more': is used nowhere: "
        "obsolete, delete it"
    ) in warnings
    assert not any("msgid 'Continue'" in line for line in warnings)


def test_a_plural_entry_kept_as_a_singular_is_missing(french_copy: Path) -> None:
    singular = i18n_extract.Message("Welcome, %(name)s", "Welcome, all %(count)s of you")

    [missing] = i18n_compile.missing_messages(french_copy.parents[2], [singular])

    assert missing.reason == "is in the catalog only as a singular; the code needs its plural forms"


TEMPLATE = """{% load i18n %}
<p>{% blocktranslate with name=user_name %}Hello {{ name }}, 100% done{% endblocktranslate %}</p>
<p>{% blocktranslate trimmed count counter=items|length with who=owner %}
  One item for {{ who }}
{% plural %}
  {{ counter }} items for {{ who }}
{% endblocktranslate %}</p>
<nav>{% translate "Menu" context "navigation" %} {{ missing|default:_("Nothing") }}</nav>
<p>{% translate greeting %}</p>
"""

PYTHON = """from django.utils import translation
from django.utils.translation import gettext_lazy as _, ngettext, npgettext_lazy, pgettext_lazy

TITLE = _("Title")
MENU = pgettext_lazy("navigation", "Menu")
VIA_MODULE = translation.gettext("Via the module")
NOT_LITERAL = _(TITLE)
NOT_LITERAL_EITHER = _(f"{TITLE}")


def children(n: int) -> str:
    return ngettext(
        "%(n)s child", "%(n)s children", n
    ) % {"n": n}


def months(n: int) -> str:
    return npgettext_lazy("duration", "%(n)s month", "%(n)s months", n) % {"n": n}
"""


def test_msgids_are_exactly_those_django_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _write(tmp_path / "app" / "templates" / "app" / "page.html", TEMPLATE)
    module = _write(tmp_path / "app" / "texts.py", PYTHON)

    messages = i18n_extract.extract_messages([tmp_path])

    found = {
        (m.msgctxt, m.msgid, m.msgid_plural): [str(location) for location in m.locations]
        for m in messages
    }
    assert found == {
        (None, "Hello %(name)s, 100%% done", ""): [f"{page}:2"],
        (None, "One item for %(who)s", "%(counter)s items for %(who)s"): [f"{page}:3"],
        ("navigation", "Menu", ""): [f"{page}:8", f"{module}:5"],
        (None, "Nothing", ""): [f"{page}:8"],
        (None, "Title", ""): [f"{module}:4"],
        (None, "Via the module", ""): [f"{module}:6"],
        (None, "%(n)s child", "%(n)s children"): [f"{module}:12"],
        ("duration", "%(n)s month", "%(n)s months"): [f"{module}:18"],
    }

    # Rendering the template asks Django's translation functions for the very same msgids.
    asked: set[tuple[str | None, str, str]] = set()

    def gettext(msgid: str) -> str:
        asked.add((None, msgid, ""))
        return msgid

    def pgettext(context: str, msgid: str) -> str:
        asked.add((context, msgid, ""))
        return msgid

    def ngettext(singular: str, plural: str, number: int) -> str:
        asked.add((None, singular, plural))
        return singular if number == 1 else plural

    monkeypatch.setattr(translation, "gettext", gettext)
    monkeypatch.setattr(translation, "ngettext", ngettext)
    monkeypatch.setattr(translation, "pgettext", pgettext)
    monkeypatch.setattr("django.template.base.gettext_lazy", gettext)
    monkeypatch.setattr("django.template.base.pgettext_lazy", pgettext)
    html = Template(TEMPLATE).render(
        Context({"user_name": "Ada", "items": [1, 2], "owner": "Bo", "greeting": "Hi"})
    )

    assert "Hello Ada, 100% done" in html
    assert "2 items for Bo" in html
    in_template = {key for key, where in found.items() if where[0].startswith(str(page))}
    assert asked - {(None, "Hi", "")} == in_template


def test_an_app_catalog_translates_its_own_messages_and_is_blamed_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "safepath"
    global_fr = _write(
        package / "locale" / "fr" / "LC_MESSAGES" / "django.po",
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "Continue"\nmsgstr "Continuer"\n',
    )
    app_fr = _write(
        package / "newapp" / "locale" / "fr" / "LC_MESSAGES" / "django.po",
        global_fr.read_text(encoding="utf-8")
        .replace('"Continue"', '"Report"')
        .replace('"Continuer"', '"Signaler"'),
    )
    _write(
        package / "newapp" / "templates" / "newapp" / "p.html",
        '{% load i18n %}{% translate "Report" %}{% translate "Continue" %}'
        '{% translate "Not yet" %}',
    )
    monkeypatch.setattr(i18n_compile, "PACKAGE_DIR", package)
    monkeypatch.setattr(i18n_compile, "LOCALE_DIR", package / "locale")

    assert i18n_compile.catalog_paths() == [global_fr, app_fr]
    messages = i18n_extract.extract_messages([package])
    missing = i18n_compile.missing_messages(messages=messages)

    assert [(m.path, m.message.msgid) for m in missing] == [(app_fr, "Not yet")]
    assert i18n_compile.compile_all() == (
        [global_fr.with_suffix(".mo"), app_fr.with_suffix(".mo")],
        [],
    )
