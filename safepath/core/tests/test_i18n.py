"""The web shell's translations: catalogs complete and compiled, pages in each language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from safepath.accounts.roles import Role
from safepath.core import i18n_compile

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
