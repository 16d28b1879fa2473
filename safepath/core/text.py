"""Text rules shared by every app: bidirectional formatting controls in names.

The embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) reorder what follows
them on screen: "Ali" + U+202E + "gnp.exe" displays as "Aliexe.png", so a name can be made to
look like another name, a reference or a file name (display spoofing). No name needs them: the
script of each letter decides its direction. They are removed from names when a name is stored,
and again whenever a name is shown (for anything stored before the rule). The directional marks
(LRM U+200E, RLM U+200F, ALM U+061C), which some names written in Arabic or Hebrew need around
digits or Latin letters, do not reorder other characters' runs and are kept.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)
