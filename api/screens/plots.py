"""Small SVG plots drawn on the server: no chart library, nothing to download.

Every plot is an <svg role="img"> with a title for screen readers; labels come
in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

COLOURS = {"pass": "#12805c", "fail": "#c62828", "review": "#b26a00", "bar": "#0b6bcb"}
CLASS_COLOURS = {"critical": "#8e0000", "major": "#c62828", "minor": "#ef8f00"}


def _svg(width: int, height: int, title: str, body: list[str], kind: str) -> Markup:
    return Markup(
        f'<svg class="plot" data-plot="{escape(kind)}" role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def rate_over_time(days: Sequence[tuple[str, float | None, int]], title: str, empty: str) -> Markup:
    """Pass rate per day as a line (left axis, %), units per day as grey bars."""
    width, height, left, right, top, bottom = 640, 220, 44, 44, 12, 28
    if not days:
        return _svg(width, 60, title, [_text(width / 2, 34, empty, "middle")], "rate")
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / len(days)
    most = max(n for _, _, n in days) or 1
    body = [_grid(left, top, plot_w, plot_h)]
    for i, (_day, _rate, n) in enumerate(days):
        bar_h = plot_h * n / most
        x = left + i * step + step * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step * 0.7:.1f}"'
            f' height="{bar_h:.1f}" fill="#d5dde5"/>'
        )
    points = [
        (left + (i + 0.5) * step, top + plot_h * (1 - rate))
        for i, (_d, rate, _n) in enumerate(days)
        if rate is not None
    ]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline class="series" points="{path}" fill="none"'
            f' stroke="{COLOURS["pass"]}" stroke-width="2.5"/>'
        )
        body += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{COLOURS["pass"]}"/>'
            for x, y in points
        ]
    for pct in (0, 50, 100):
        body.append(_text(left - 6, top + plot_h * (1 - pct / 100) + 4, f"{pct}%", "end"))
    body.append(_text(width - right + 6, top + 10, str(most), "start"))
    for i in sorted({0, len(days) // 2, len(days) - 1}):
        body.append(_text(left + (i + 0.5) * step, height - 8, days[i][0][5:], "middle"))
    return _svg(width, height, title, body, "rate")


def ranked_bars(
    items: Sequence[tuple[str, int]], title: str, empty: str, colours: dict | None = None
) -> Markup:
    """Horizontal bars, longest first: failure reasons, defect classes."""
    width, row, label_w = 640, 26, 300
    if not items:
        return _svg(width, 60, title, [_text(width / 2, 34, empty, "middle")], "bars")
    most = max(n for _, n in items) or 1
    body = []
    for i, (label, n) in enumerate(items):
        y = 6 + i * row
        bar = (width - label_w - 60) * n / most
        fill = (colours or {}).get(label, COLOURS["bar"])
        body.append(_text(label_w - 8, y + 16, _short(label, 44), "end"))
        body.append(
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{max(bar, 1):.1f}"'
            f' height="{row - 8}" fill="{fill}"><title>{escape(label)}: {n}</title></rect>'
        )
        body.append(_text(label_w + bar + 6, y + 16, str(n), "start"))
    return _svg(width, 12 + len(items) * row, title, body, "bars")


def heat_table(
    rows: dict[str, dict[str, int]], hours: Sequence[str], title: str, empty: str
) -> Markup:
    """Units per station (rows) per hour (columns), darker is more."""
    if not rows:
        return _svg(640, 60, title, [_text(320, 34, empty, "middle")], "heat")
    label_w, cell, top = 90, 22, 22
    width = label_w + cell * len(hours) + 10
    most = max((n for r in rows.values() for n in r.values()), default=1) or 1
    body = []
    for j, hour in enumerate(hours):
        if j % 3 == 0:
            body.append(_text(label_w + j * cell + cell / 2, 14, hour[-2:], "middle"))
    for i, (station, counts) in enumerate(sorted(rows.items())):
        y = top + i * cell
        body.append(_text(label_w - 6, y + 15, station, "end"))
        for j, hour in enumerate(hours):
            n = counts.get(hour, 0)
            shade = 0.08 + 0.92 * n / most if n else 0
            body.append(
                f'<rect class="cell" x="{label_w + j * cell}" y="{y}" width="{cell - 2}"'
                f' height="{cell - 2}" fill="{COLOURS["bar"]}" fill-opacity="{shade:.2f}"'
                f' stroke="#e3e8ee"><title>{escape(station)} {escape(hour)}:00 · {n}</title></rect>'
            )
    return _svg(width, top + len(rows) * cell + 6, title, body, "heat")


def _grid(left: float, top: float, w: float, h: float) -> str:
    lines = [
        f'<line x1="{left}" x2="{left + w}" y1="{top + h * f:.1f}" y2="{top + h * f:.1f}"'
        f' stroke="#e3e8ee"/>'
        for f in (0, 0.5, 1)
    ]
    return "".join(lines)


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" fill="#5b6b7b"'
        f' text-anchor="{anchor}">{escape(text)}</text>'
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
