"""Tracking codes for feedback: random, easy to read aloud and type on a phone. No Django here.

A code is 12 characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L), shown
in three groups of four: ``K7MQ-2HBR-9TXW``. That is about 59 bits of chance: with at most 10
wrong guesses an hour from one address (the throttle), guessing any one of a million codes would
take longer than the universe has existed. Only a keyed hash of the code is stored (its blind
index), so the database alone does not give the codes away.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4
MAX_INPUT = 64  # longer input is refused before any lookup
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code() -> str:
    """A fresh code, formatted for people (``XXXX-XXXX-XXXX``)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(text: str) -> str | None:
    """The code's 12 characters, or None when ``text`` cannot be a code (wrong length or
    characters). Case, spaces and dashes do not matter."""
    candidate = _SEPARATORS.sub("", text[:MAX_INPUT]).upper()
    if len(candidate) != LENGTH or any(char not in ALPHABET for char in candidate):
        return None
    return candidate


def link_digest(token: str) -> str:
    """What is stored of a consultation link's secret (SHA-256; the secret is shown once)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
