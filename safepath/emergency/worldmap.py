"""A world choropleth drawn on the server as SVG, from the Natural Earth boundaries vendored in
``geo/countries-110m.json`` (world-atlas, TopoJSON). No Django, no script, no network.

TopoJSON stores shared borders once, as *arcs*: quantised integer points, each a delta from the
one before, scaled by the topology's ``transform``. A polygon lists arc numbers (a negative
number ``~i`` means arc ``i`` reversed). The points are projected with the Equal Earth
projection (Šavrič, Patterson and Jenny, 2018), which keeps areas true.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import pycountry

TOPOLOGY = Path(__file__).with_name("geo") / "countries-110m.json"
WIDTH, HEIGHT = 960.0, 470.0
SKIPPED = frozenset({"010"})  # Antarctica: no INFORM score, and a third of the map's height

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth, unit sphere: (x, y) with y up."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = equal_earth(180, 0)[0]
_Y_MAX = equal_earth(0, 90)[1]


def _screen(longitude: float, latitude: float) -> tuple[float, float]:
    x, y = equal_earth(longitude, latitude)
    scale = WIDTH / (2 * _X_MAX)
    return WIDTH / 2 + x * scale, HEIGHT / 2 - y * scale


@dataclass(frozen=True)
class CountryShape:
    numeric: str
    iso3: str
    name: str
    path: str  # SVG path data, projected


def _arcs(topology: Mapping[str, object]) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform") or {}
    assert isinstance(transform, dict)  # noqa: S101 - world-atlas is quantised
    sx, sy = transform["scale"]
    tx, ty = transform["translate"]
    decoded = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(
    arcs: list[list[tuple[float, float]]], indices: Iterable[int]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the antimeridian is kept in one piece east of 180 degrees (the
    viewBox clips what falls outside), instead of a stripe across the whole map."""
    jumps = any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(ring))
    if not jumps:
        return ring
    return [(lon + 360 if lon < 0 else lon, lat) for lon, lat in ring]


def _path(rings: Iterable[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        points = [_screen(lon, max(-89.9, min(89.9, lat))) for lon, lat in _unwrap(ring)]
        head, *rest = points
        parts.append(
            f"M{head[0]:.1f},{head[1]:.1f}" + "".join(f"L{x:.1f},{y:.1f}" for x, y in rest) + "Z"
        )
    return "".join(parts)


@cache
def shapes() -> tuple[CountryShape, ...]:
    """Every country of the topology, projected, once per process."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = str(geometry.get("id", ""))
        if numeric in SKIPPED:
            continue
        polygons = geometry.get("arcs", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        country = pycountry.countries.get(numeric=numeric) if numeric else None
        out.append(
            CountryShape(
                numeric=numeric,
                iso3=country.alpha_3 if country else "",
                name=str(geometry.get("properties", {}).get("name", "")),
                path=_path(rings),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Shade:
    """How one country is drawn: a class 0-4 (or None: no data) and its tooltip text."""

    css_class: int | None
    title: str


def svg(shades: Mapping[str, Shade], *, title: str, description: str) -> str:
    """The map as an SVG element (keyed by ISO3); countries not in ``shades`` have no data."""
    parts = [
        f'<svg class="risk-map" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" '
        f'aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
    ]
    for shape in shapes():
        shade = shades.get(shape.iso3)
        css = "no-data" if shade is None or shade.css_class is None else f"c{shade.css_class}"
        label = shade.title if shade is not None else shape.name
        parts.append(
            f'<path class="{css}" data-iso3="{escape(shape.iso3)}" d="{shape.path}">'
            f"<title>{escape(label)}</title></path>"
        )
    parts.append("</svg>")
    return "".join(parts)
