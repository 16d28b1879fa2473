"""The upload limit (the MAX_UPLOAD_BYTES setting), in words, for forms and error messages."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def upload_limit_text() -> str:
    """The limit as people read it: "10 MB", "512 KB"."""
    limit = int(settings.MAX_UPLOAD_BYTES)
    if limit % (1 << 20) == 0:
        return _("%(n)s MB") % {"n": limit >> 20}
    return _("%(n)s KB") % {"n": -(-limit // 1024)}
