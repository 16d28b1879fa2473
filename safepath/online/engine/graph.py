"""Adverts linked by what they share: phone numbers, e-mail addresses and image hashes.

The DARPA Memex work found that the same phone number or e-mail reused in adverts across
several cities is one of the strongest signs of an organised circuit. This builds that graph:
adverts are nodes; two adverts are linked when they share an identifier (or images within the
PDQ threshold); groups are the connected components; and each phone number is counted in how
many cities it appears. Triage signals for a reviewer, never findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from safepath.online.engine.hashing import hamming
from safepath.online.engine.matching import PDQ_MATCH_THRESHOLD

TRIAGE_NOTICE = "Triage signal, not a finding: shared contacts link adverts, not people."


@dataclass(frozen=True)
class AdvertNode:
    id: str
    city: str = ""
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    image_hashes: tuple[str, ...] = ()  # PDQ, hex


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    via: str  # phone, email or image
    value: str  # the shared identifier (phone, e-mail) or the PDQ distance for images


@dataclass
class AdvertGraph:
    nodes: list[AdvertNode]
    edges: list[Edge] = field(default_factory=list)
    groups: list[list[str]] = field(default_factory=list)
    cities_per_phone: dict[str, list[str]] = field(default_factory=dict)
    cities_per_email: dict[str, list[str]] = field(default_factory=dict)

    def group_of(self, advert_id: str) -> list[str]:
        return next((g for g in self.groups if advert_id in g), [advert_id])

    def as_dict(self) -> dict[str, Any]:
        return {
            "adverts": len(self.nodes),
            "edges": [e.__dict__ for e in self.edges],
            "groups": [g for g in self.groups if len(g) > 1],
            "phones": [
                {"phone": phone, "cities": cities, "city_count": len(cities)}
                for phone, cities in sorted(
                    self.cities_per_phone.items(), key=lambda kv: (-len(kv[1]), kv[0])
                )
            ],
            "emails": [
                {"email": email, "cities": cities, "city_count": len(cities)}
                for email, cities in sorted(
                    self.cities_per_email.items(), key=lambda kv: (-len(kv[1]), kv[0])
                )
            ],
            "notice": TRIAGE_NOTICE,
        }


class _Groups:
    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


PHONE_KEY_DIGITS = 7


def phone_key(phone: str) -> str:
    """Phones are compared on their last seven digits: an advert writes +1 555 0142 where
    another writes 555-0142, and the country code or a trunk 0 comes and goes."""
    digits = "".join(c for c in phone if c.isdigit())
    return digits[-PHONE_KEY_DIGITS:]


def _by_identifier(nodes: Sequence[AdvertNode], attribute: str) -> dict[str, list[AdvertNode]]:
    """Adverts by shared identifier, keyed by the fullest spelling seen of it."""
    table: dict[str, list[AdvertNode]] = defaultdict(list)
    spelling: dict[str, str] = {}
    for node in nodes:
        for value in dict.fromkeys(getattr(node, attribute)):
            key = phone_key(value) if attribute == "phones" else value.lower()
            if len(value) > len(spelling.get(key, "")):
                spelling[key] = value
            if node not in table[key]:
                table[key].append(node)
    return {spelling[key]: sharing for key, sharing in table.items()}


def build_graph(
    nodes: Sequence[AdvertNode], *, image_threshold: int = PDQ_MATCH_THRESHOLD
) -> AdvertGraph:
    graph = AdvertGraph(nodes=list(nodes))
    groups = _Groups(n.id for n in nodes)
    for attribute, via, cities in (
        ("phones", "phone", graph.cities_per_phone),
        ("emails", "email", graph.cities_per_email),
    ):
        for value, sharing in sorted(_by_identifier(nodes, attribute).items()):
            cities[value] = sorted({n.city.strip() for n in sharing if n.city.strip()})
            for other in sharing[1:]:
                graph.edges.append(Edge(sharing[0].id, other.id, via, value))
                groups.union(sharing[0].id, other.id)
    images = [(n.id, h) for n in nodes for h in n.image_hashes]
    for i, (a, ha) in enumerate(images):  # adverts carry few images: pairwise is enough
        for b, hb in images[i + 1 :]:
            if a != b and (distance := hamming(ha, hb)) <= image_threshold:
                graph.edges.append(Edge(a, b, "image", str(distance)))
                groups.union(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        members[groups.find(node.id)].append(node.id)
    graph.groups = sorted((sorted(m) for m in members.values()), key=lambda g: (-len(g), g))
    return graph
