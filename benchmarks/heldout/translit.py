# ruff: noqa: RUF001
"""Cyrillic -> Latin schemes and script-level noise for the held-out children generator.

Written from the author's knowledge of the schemes named in research/record_linkage_anchors.md
sections 4.3 and 5.1 (ICAO Doc 9303, BGN/PCGN, national and German/French press conventions);
none of SafePath's own name code was read. Only word-level, context-light rules are modelled.
"""

from __future__ import annotations

import numpy as np

_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "д": "d",
    "з": "z",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "ь": "",
    "ъ": "",
}

SCHEMES: dict[str, dict[str, str]] = {
    # ICAO Doc 9303 (machine-readable passports), Russian and Ukrainian letters together.
    "icao": {
        **_COMMON,
        "г": "g",
        "ґ": "g",
        "е": "e",
        "ё": "e",
        "є": "ie",
        "ж": "zh",
        "и": "i",
        "і": "i",
        "ї": "i",
        "й": "i",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ы": "y",
        "э": "e",
        "ю": "iu",
        "я": "ia",
        "ъ": "ie",
    },
    # Ukrainian national 2010 scheme (word-initial forms handled in `cyr_to_latin`).
    "ua_national": {
        **_COMMON,
        "г": "h",
        "ґ": "g",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "и": "y",
        "і": "i",
        "ї": "i",
        "й": "i",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ю": "iu",
        "я": "ia",
        "ё": "io",
        "ы": "y",
        "э": "e",
    },
    # BGN/PCGN-like English usage.
    "english": {
        **_COMMON,
        "г": "g",
        "ґ": "g",
        "е": "e",
        "ё": "yo",
        "є": "ye",
        "ж": "zh",
        "и": "i",
        "і": "i",
        "ї": "yi",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ы": "y",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    },
    # German press (Duden-like).
    "german": {
        **_COMMON,
        "в": "w",
        "з": "s",
        "с": "s",
        "г": "g",
        "ґ": "g",
        "е": "e",
        "ё": "jo",
        "є": "je",
        "ж": "sch",
        "и": "i",
        "і": "i",
        "ї": "ji",
        "й": "j",
        "х": "ch",
        "ц": "z",
        "ч": "tsch",
        "ш": "sch",
        "щ": "schtsch",
        "ы": "y",
        "э": "e",
        "ю": "ju",
        "я": "ja",
    },
    # French press.
    "french": {
        **_COMMON,
        "у": "ou",
        "г": "g",
        "ґ": "g",
        "е": "e",
        "ё": "io",
        "є": "ie",
        "ж": "j",
        "и": "i",
        "і": "i",
        "ї": "ï",
        "й": "ï",
        "х": "kh",
        "ц": "ts",
        "ч": "tch",
        "ш": "ch",
        "щ": "chtch",
        "ы": "y",
        "э": "e",
        "ю": "iou",
        "я": "ia",
    },
}

_UA_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_VOWELS_CYR = set("аеёєиіїоуыэюя")


def cyr_to_latin(text: str, scheme: str) -> str:
    """Transliterate one Cyrillic name with a scheme; keeps spaces, hyphens and case of word."""
    table = SCHEMES[scheme]
    out: list[str] = []
    prev = " "
    for ch in text:
        low = ch.lower()
        if low not in table and low not in _UA_INITIAL:
            out.append(ch)
            prev = ch
            continue
        if scheme in {"ua_national", "english"} and (not prev.isalpha()) and low in _UA_INITIAL:
            piece = _UA_INITIAL[low]
        elif (
            scheme in {"english", "german"}
            and low == "е"
            and (not prev.isalpha() or prev.lower() in _VOWELS_CYR)
        ):
            piece = "ye" if scheme == "english" else "je"
        elif scheme == "german" and low == "с" and prev.lower() in _VOWELS_CYR:
            piece = "ss"
        else:
            piece = table[low]
        if ch.isupper() and piece:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
        prev = ch
    return "".join(out)


# --- noise -------------------------------------------------------------------------------

_KEYBOARD = {
    "a": "sqz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "wa",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "xa",
}
# Letters an Arabic-script clerk or OCR confuses (same skeleton, dots differ).
_ARABIC_CONFUSE = {
    "ح": "خج",
    "خ": "حج",
    "ج": "حخ",
    "س": "ش",
    "ش": "س",
    "ص": "ض",
    "ض": "ص",
    "ط": "ظ",
    "ظ": "ط",
    "ع": "غ",
    "غ": "ع",
    "ف": "ق",
    "ق": "ف",
    "د": "ذ",
    "ذ": "د",
    "ر": "ز",
    "ز": "ر",
    "ب": "تن",
    "ت": "بث",
    "ث": "ت",
    "ن": "بت",
    "ه": "ة",
    "ة": "ه",
    "ى": "ي",
    "ي": "ى",
}
_CYR_CONFUSE = {
    "и": "йі",
    "й": "и",
    "е": "эє",
    "э": "е",
    "є": "е",
    "ш": "щ",
    "щ": "ш",
    "і": "иї",
    "ї": "і",
    "о": "а",
    "а": "о",
    "ь": "ъ",
    "г": "ґх",
    "ё": "е",
}
_HAMZA_FORMS = "أإآا"
_HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651"]


def typo(rng: np.random.Generator, text: str, script: str) -> str:
    """One clerical error: substitution by a confusable or neighbouring key, deletion,
    insertion (doubling) or transposition; never on the first letter for Arabic script."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text
    start = 1 if script == "arabic" else 0
    pos = letters[int(rng.integers(start, len(letters)))]
    ch = text[pos]
    op = rng.choice(["sub", "del", "ins", "swap"], p=[0.4, 0.25, 0.15, 0.2])
    if op == "sub":
        table = {"latin": _KEYBOARD, "arabic": _ARABIC_CONFUSE, "cyrillic": _CYR_CONFUSE}[script]
        options = table.get(ch.lower(), "")
        if not options:
            op = "del"
        else:
            rep = options[int(rng.integers(len(options)))]
            rep = rep.upper() if ch.isupper() else rep
            return text[:pos] + rep + text[pos + 1 :]
    if op == "del":
        return text[:pos] + text[pos + 1 :]
    if op == "ins":
        return text[:pos] + ch.lower() + text[pos:]
    if pos + 1 < len(text) and text[pos + 1].isalpha():
        a, b = text[pos], text[pos + 1]
        if pos == 0:
            a, b = a.lower(), b.upper()
        return text[:pos] + b + a + text[pos + 2 :]
    return text


def arabic_script_variant(rng: np.random.Generator, text: str) -> str:
    """Spelling variants a register in Arabic script really shows: hamza forms on the first
    alif, ta marbuta written as ha, alif maqsura as ya (and back), the article or `abd`
    compound written with or without a space, and occasional vowel marks (harakat)."""
    choice = rng.integers(5)
    if choice == 0 and text and text[0] in _HAMZA_FORMS:
        return _HAMZA_FORMS[int(rng.integers(4))] + text[1:]
    if choice == 1 and text.endswith(("ة", "ه")):
        return text[:-1] + ("ه" if text.endswith("ة") else "ة")
    if choice == 2 and text.endswith(("ى", "ي")):
        return text[:-1] + ("ي" if text.endswith("ى") else "ى")
    if choice == 3:
        if " " in text:
            return text.replace(" ", "", 1)
        if text.startswith("عبد") and len(text) > 4:
            return "عبد " + text[3:]
        if text.startswith("ال") and len(text) > 3:
            return text[2:] if rng.random() < 0.5 else "ال " + text[2:]
    # Vowel marks on one or two letters.
    chars = list(text)
    for _ in range(int(rng.integers(1, 3))):
        pos = int(rng.integers(len(chars)))
        if chars[pos].isalpha():
            chars[pos] += _HARAKAT[int(rng.integers(len(_HARAKAT)))]
    return "".join(chars)


_FIRST_VOWEL = {"A": "E", "E": "AI", "I": "EY", "O": "U", "U": "O"}
_VOWEL_SWAPS = [
    ("ou", "u"),
    ("u", "ou"),
    ("oo", "u"),
    ("ee", "i"),
    ("i", "ee"),
    ("e", "a"),
    ("a", "e"),
    ("o", "u"),
    ("u", "o"),
    ("ei", "ai"),
    ("ai", "ei"),
    ("y", "i"),
]


def latin_arabic_variant(rng: np.random.Generator, text: str) -> str:
    """A Latin spelling of an Arabic-origin name as another clerk would write it: the first
    vowel changed (Osama/Usama, Ibrahim/Ebrahim), an inner vowel changed (Youssef/Yousef),
    a doubled consonant single or a single one doubled, the article written differently."""
    kind = rng.integers(4)
    if kind == 0 and text and text[0] in _FIRST_VOWEL:
        opts = _FIRST_VOWEL[text[0]]
        return opts[int(rng.integers(len(opts)))] + text[1:]
    if kind == 1:
        rng_order = rng.permutation(len(_VOWEL_SWAPS))
        for i in rng_order:
            old, new = _VOWEL_SWAPS[int(i)]
            at = text.find(old, 1)
            if at > 0:
                return text[:at] + new + text[at + len(old) :]
    if kind == 2:
        for i in range(1, len(text) - 1):
            if text[i] == text[i + 1] and text[i].isalpha():
                return text[:i] + text[i + 1 :]
        cons = [i for i in range(1, len(text)) if text[i] in "mslrdnt"]
        if cons:
            at = cons[int(rng.integers(len(cons)))]
            return text[: at + 1] + text[at] + text[at + 1 :]
    for art in ("Al-", "Al ", "El-", "El ", "Ash-"):
        if text.startswith(art):
            rest = text[len(art) :]
            forms = [
                f"Al-{rest}",
                f"Al {rest}",
                f"El-{rest}",
                f"El {rest}",
                f"Al{rest.lower()}",
                rest,
            ]
            return forms[int(rng.integers(len(forms)))]
    return text
