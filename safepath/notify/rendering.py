"""The words of an e-mail or SMS, in the recipient's language, from templates that see only a
notification's kind, reference and link (``templates/notifications/email/``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepath.accounts.models import User
from safepath.notify.kinds import KINDS
from safepath.notify.models import Notification


def _language(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def _item(note: Notification) -> dict[str, str]:
    return {
        "title": str(KINDS[note.kind].title),
        "reference": note.reference,
        "url": settings.SITE_URL.rstrip("/") + note.link,
        "urgent": "1" if note.urgent else "",
    }


def email(user: User, notes: Sequence[Notification], *, digest: bool) -> tuple[str, str]:
    """Subject and plain-text body."""
    with translation.override(_language(user)):
        items = [_item(note) for note in notes]
        context = {
            "items": items,
            "centre_url": settings.SITE_URL.rstrip("/") + reverse("notifications:centre"),
            "preferences_url": settings.SITE_URL.rstrip("/") + reverse("notifications:preferences"),
        }
        if digest:
            subject = ngettext(
                "SafePath: %(count)d notification", "SafePath: %(count)d notifications", len(items)
            ) % {"count": len(items)}
            body = render_to_string("notifications/email/digest_text.html", context)
        else:
            subject = _("SafePath: %(title)s") % {"title": items[0]["title"]}
            body = render_to_string("notifications/email/notice_text.html", context)
    return subject, body.strip() + "\n"


def sms(user: User, note: Notification) -> str:
    with translation.override(_language(user)):
        return render_to_string("notifications/email/sms_text.html", {"item": _item(note)}).strip()
