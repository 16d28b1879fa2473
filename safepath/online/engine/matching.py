"""Match hashed files against banks: exact MD5/SHA-1, and PDQ within each bank's threshold.

A match names the bank, the kind of hash, the distance and, for PDQ, which of the eight
dihedral variants matched (flips and quarter turns). It never carries the file's content.
PDQ's authors recommend distance <= 31 and ignoring hashes of quality below 50; a bank may set
its own threshold (at most 63) and quality floor.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from safepath.online.engine import index as pdq_index
from safepath.online.engine.banks import Signal
from safepath.online.engine.hashing import DIHEDRAL_NAMES, HashResult

PDQ_MATCH_THRESHOLD = 31  # threatexchange PDQ_CONFIDENT_MATCH_THRESHOLD
PDQ_QUALITY_MIN = 50  # threatexchange QUALITY_THRESHOLD
PDQ_MAX_THRESHOLD = 63
TRIAGE_NOTICE = "Triage signal, not a finding: a trained analyst decides."


@dataclass(frozen=True)
class Match:
    bank: str
    kind: str  # pdq, md5, sha1
    distance: int  # 0 for exact matches
    signal: str  # the bank's hash that matched (hex), never the file's content
    variant: str = "original"  # which dihedral copy matched (pdq)
    label: str = ""
    reference: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FileMatches:
    file: str
    pdq: str
    quality: int
    matches: list[Match] = field(default_factory=list)
    low_quality: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "pdq": self.pdq,
            "quality": self.quality,
            "low_quality": self.low_quality,
            "matches": [m.as_dict() for m in self.matches],
            "notice": TRIAGE_NOTICE,
        }


@dataclass
class _Bank:
    name: str
    threshold: int
    quality_min: int
    pdq_signals: list[Signal]
    index: pdq_index.MIHIndex | pdq_index.BruteForceIndex


class Matcher:
    """Banks held in memory; ``match`` answers for one hashed file."""

    def __init__(self) -> None:
        self._banks: dict[str, _Bank] = {}
        self._exact: dict[tuple[str, str], list[tuple[str, Signal]]] = {}

    def add_bank(
        self,
        name: str,
        signals: Iterable[Signal],
        *,
        threshold: int = PDQ_MATCH_THRESHOLD,
        quality_min: int = PDQ_QUALITY_MIN,
    ) -> None:
        if not 0 <= threshold <= PDQ_MAX_THRESHOLD:
            raise ValueError(f"a PDQ threshold lies between 0 and {PDQ_MAX_THRESHOLD}")
        pdq_signals = []
        for signal in signals:
            if signal.kind == "pdq":
                pdq_signals.append(signal)
            else:
                self._exact.setdefault((signal.kind, signal.value), []).append((name, signal))
        self._banks[name] = _Bank(
            name=name,
            threshold=threshold,
            quality_min=quality_min,
            pdq_signals=pdq_signals,
            index=pdq_index.build(s.value for s in pdq_signals),
        )

    def merge(self, other: Matcher) -> None:
        """Take ``other``'s banks (built indexes are shared, not copied)."""
        self._banks.update(other._banks)
        for key, entries in other._exact.items():
            self._exact.setdefault(key, []).extend(entries)

    @property
    def banks(self) -> list[str]:
        return sorted(self._banks)

    def match(self, hashed: HashResult, *, banks: Sequence[str] | None = None) -> FileMatches:
        wanted = set(banks) if banks is not None else set(self._banks)
        result = FileMatches(file=hashed.file, pdq=hashed.pdq, quality=hashed.quality)
        for kind, value in (("md5", hashed.md5), ("sha1", hashed.sha1)):
            for bank, signal in self._exact.get((kind, value), []):
                if bank in wanted:
                    result.matches.append(
                        Match(bank, kind, 0, signal.value, "", signal.label, signal.reference)
                    )
        variants = hashed.dihedral or (hashed.pdq,)
        queries = pdq_index.hex_to_words(list(variants))
        for name in sorted(wanted & set(self._banks)):
            held = self._banks[name]
            if hashed.quality < held.quality_min:
                result.low_quality = True
                continue
            best: dict[int, tuple[int, int]] = {}
            for hit in held.index.search(queries, held.threshold):
                if hit.id not in best or hit.distance < best[hit.id][0]:
                    best[hit.id] = (hit.distance, hit.query)
            for signal_id, (distance, query) in sorted(best.items(), key=lambda kv: kv[1]):
                signal = held.pdq_signals[signal_id]
                variant = DIHEDRAL_NAMES[query] if hashed.dihedral else "original"
                result.matches.append(
                    Match(
                        name, "pdq", distance, signal.value, variant, signal.label, signal.reference
                    )
                )
        result.matches.sort(key=lambda m: (m.distance, m.bank, m.kind))
        return result
