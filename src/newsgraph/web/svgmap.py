"""Small SVG drawings that need nothing from the internet: a map of points on a lon/lat
graticule (equirectangular, zoomed to the points) and a timeline strip of dated items."""

from __future__ import annotations

import math
from datetime import date

from markupsafe import Markup, escape

Point = tuple[float, float, str, str | None]  # lat, lon, label, link


def svg_map(points: list[Point], width: int = 900, height: int = 460) -> Markup:
    if not points:
        return Markup('<p class="ng-empty">No place with coordinates.</p>')
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    # Zoom to the points, with a margin and a minimum extent so one point is not a blow-up.
    pad = 4.0
    west, east = min(lons) - pad, max(lons) + pad
    south, north = min(lats) - pad, max(lats) + pad
    span = max(east - west, (north - south) * width / height, 20.0)
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    west, east = max(mid_lon - span / 2, -180.0), min(mid_lon + span / 2, 180.0)
    lat_span = span * height / width
    south, north = max(mid_lat - lat_span / 2, -90.0), min(mid_lat + lat_span / 2, 90.0)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return ((lon - west) / (east - west) * width, (north - lat) / (north - south) * height)

    step = next(s for s in (1, 2, 5, 10, 15, 30, 45) if (east - west) / s <= 12)
    parts = [
        f'<svg class="ng-map" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Map of {len(points)} places">',
        f'<rect width="{width}" height="{height}" class="ng-map-sea"/>',
    ]
    for lon in range(math.ceil(west / step) * step, int(east) + 1, step):
        x, _ = xy(0, lon)
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" class="ng-grid"/>')
        parts.append(f'<text x="{x + 2:.1f}" y="{height - 4}" class="ng-grid-label">{lon}°</text>')
    for lat in range(math.ceil(south / step) * step, int(north) + 1, step):
        _, y = xy(lat, 0)
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" class="ng-grid"/>')
        parts.append(f'<text x="2" y="{y - 2:.1f}" class="ng-grid-label">{lat}°</text>')
    for lat, lon, label, href in points:
        x, y = xy(lat, lon)
        dot = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" class="ng-point">'
            f"<title>{escape(label)}</title></circle>"
            f'<text x="{x + 7:.1f}" y="{y + 4:.1f}" class="ng-point-label">{escape(label)}</text>'
        )
        parts.append(f'<a href="{escape(href)}">{dot}</a>' if href else dot)
    parts.append("</svg>")
    return Markup("".join(parts))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def svg_timeline(items: list[tuple[str | None, str, str | None]], width: int = 900) -> Markup:
    """Dated items (ISO date, label, link) as dots on a time axis; undated ones are left out."""
    dated = sorted((d, label, href) for value, label, href in items if (d := _day(value)))
    if not dated:
        return Markup('<p class="ng-empty">Nothing dated.</p>')
    first, last = dated[0][0], dated[-1][0]
    days = max((last - first).days, 1)
    height = 70
    parts = [
        f'<svg class="ng-timeline" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Timeline of {len(dated)} items">',
        f'<line x1="20" y1="40" x2="{width - 20}" y2="40" class="ng-axis"/>',
        f'<text x="20" y="62" class="ng-grid-label">{first.isoformat()}</text>',
        f'<text x="{width - 20}" y="62" text-anchor="end" class="ng-grid-label">'
        f"{last.isoformat()}</text>",
    ]
    stacked: dict[date, int] = {}
    for day, label, href in dated:
        level = stacked.get(day, 0)
        stacked[day] = level + 1
        x = 20 + (day - first).days / days * (width - 40)
        y = 40 - 9 * min(level, 3)
        dot = (
            f'<circle cx="{x:.1f}" cy="{y}" r="4" class="ng-point">'
            f"<title>{day}: {escape(label)}</title></circle>"
        )
        parts.append(f'<a href="{escape(href)}">{dot}</a>' if href else dot)
    parts.append("</svg>")
    return Markup("".join(parts))
