"""Land and country borders for the partner map, from Natural Earth.

`data/naturalearth/countries-110m.json` is Natural Earth's 1:110m "Admin 0 –
countries" (version 4.1.0, public domain) as TopoJSON, copied unchanged from
the npm package world-atlas 2.0.2 (ISC licence, its notice beside the file).
The shapes are read once per process and projected on the server, so the map
is plain SVG: nothing is loaded from any other server.

TopoJSON stores each border once as an "arc" of quantised, delta-encoded
points; a country is a list of rings, each a list of arc indices (`~i` is arc
`i` backwards). Decoding follows the TopoJSON specification, section 2.1.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "data" / "naturalearth" / "countries-110m.json"
MIN_STEP = 1.5  # drop points closer than this many SVG units to the last one drawn

Ring = list[tuple[float, float]]  # longitude, latitude
Project = Callable[[float, float], tuple[float, float]]  # (lat, lon) -> (x, y)
Rectangle = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG units
Points = list[tuple[float, float]]


def _decode_arcs(topology: dict) -> list[Ring]:
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indices: Iterable[int]) -> Ring:
    """Join a ring's arcs; each arc after the first repeats its predecessor's end."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, tuple[Ring, ...]], ...]:
    """Every country as (name, its rings: outer boundaries and holes)."""
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # a country without a shape at this scale
            continue
        rings = tuple(_ring(arcs, ring) for polygon in polygons for ring in polygon)
        shapes.append((geometry.get("properties", {}).get("name", ""), rings))
    return tuple(shapes)


def _inside(ring: Ring, bounds: tuple[float, float, float, float]) -> bool:
    """Whether the ring's bounding box meets the frame (south, north, west, east)."""
    south, north, west, east = bounds
    lons, lats = [lon for lon, _ in ring], [lat for _, lat in ring]
    return min(lats) <= north and max(lats) >= south and min(lons) <= east and max(lons) >= west


def _tenths(value: int) -> str:
    return f"{value / 10:g}"


def _relative(points: list[tuple[int, int]]) -> str:
    """A closed path with relative steps ("m x y l dx dy …z"), the shortest text."""
    (x, y), steps = points[0], []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        steps.append(f"{_tenths(x1 - x0)} {_tenths(y1 - y0)}")
    return f"M{_tenths(x)} {_tenths(y)}l" + " ".join(steps) + "z"


def _clip_side(points: Points, axis: int, limit: float, keep_below: bool) -> Points:
    """One step of Sutherland–Hodgman: the polygon's part on one side of the
    line `axis = limit`, with a point added where an edge crosses it."""

    def inside(point: tuple[float, float]) -> bool:
        return point[axis] <= limit if keep_below else point[axis] >= limit

    clipped: Points = []
    for start, end in zip(points[-1:] + points[:-1], points):
        if inside(end) != inside(start):
            share = (limit - start[axis]) / (end[axis] - start[axis])
            clipped.append(
                (start[0] + share * (end[0] - start[0]), start[1] + share * (end[1] - start[1]))
            )
        if inside(end):
            clipped.append(end)
    return clipped


def clip(points: Points, rectangle: Rectangle) -> Points:
    """The polygon cut to the rectangle (Sutherland–Hodgman). A country that
    reaches far beyond the panel (Russia on a map of Europe) keeps only its
    part in view; the new edges run along the rectangle, outside what the
    panel's clip path shows, so the map looks the same with far less text."""
    x0, y0, x1, y1 = rectangle
    for axis, limit, keep_below in ((0, x0, False), (0, x1, True), (1, y0, False), (1, y1, True)):
        if not points:
            break
        points = _clip_side(points, axis, limit, keep_below)
    return points


def path_data(
    project: Project, bounds: tuple[float, float, float, float], rectangle: Rectangle | None = None
) -> list[str]:
    """SVG path data, one string per country that meets `bounds`, projected by
    `project` and cut to `rectangle` where one is given. Points closer than
    MIN_STEP to the last one are left out, which keeps an overview of the
    world small without changing its look."""
    paths = []
    for _, rings in countries():
        parts = []
        for ring in rings:
            if not _inside(ring, bounds):
                continue
            projected = [project(lat, lon) for lon, lat in ring]
            if rectangle is not None:
                projected = clip(projected, rectangle)
            drawn: list[tuple[int, int]] = []  # in tenths of a unit, so steps add up exactly
            for x, y in projected:
                point = round(x * 10), round(y * 10)
                if (
                    drawn
                    and abs(point[0] - drawn[-1][0]) + abs(point[1] - drawn[-1][1]) < MIN_STEP * 10
                ):
                    continue
                drawn.append(point)
            if len(drawn) >= 3:
                parts.append(_relative(drawn))
        if parts:
            paths.append("".join(parts))
    return paths
