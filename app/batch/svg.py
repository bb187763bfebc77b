"""Tiny inline-SVG charts for the corpus report: horizontal bars and lines.

Hand-written on purpose: the report must be one self-contained file with nothing
fetched, and two chart types do not justify a plotting library. Every label is
escaped, because labels come from article text and metadata.
"""

from __future__ import annotations

from html import escape

COLOURS = ("#3b6ea5", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def bar_chart(labels: list[str], series: dict[str, list[float]], *, title: str, fmt: str = "{:.2f}",
              width: int = 640) -> str:
    """Horizontal grouped bars: one group per label, one bar per series."""
    if not labels:
        return ""
    label_w, bar_h, gap = 190, 14, 10
    n_series = len(series)
    group_h = n_series * bar_h + gap
    legend_h = 20 if n_series > 1 else 0
    height = 30 + legend_h + group_h * len(labels)
    top = max((v for values in series.values() for v in values if v == v), default=0) or 1.0
    plot_w = width - label_w - 60
    parts = [_open(width, height, title), _text(8, 18, title, weight="bold")]
    for i, name in enumerate(series if n_series > 1 else []):
        x = label_w + i * 150
        parts.append(f'<rect x="{x}" y="26" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(_text(x + 14, 35, name))
    for g, label in enumerate(labels):
        y0 = 30 + legend_h + g * group_h
        parts.append(_text(label_w - 6, y0 + n_series * bar_h / 2 + 4, _clip(label, 30), anchor="end"))
        for i, values in enumerate(series.values()):
            value = values[g]
            if value != value:          # NaN: no bar, say so
                parts.append(_text(label_w + 4, y0 + i * bar_h + 11, "n/a"))
                continue
            w = max(1.0, plot_w * value / top)
            parts.append(f'<rect x="{label_w}" y="{y0 + i * bar_h}" width="{w:.1f}" height="{bar_h - 2}" '
                         f'fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)}: {fmt.format(value)}</title></rect>')
            parts.append(_text(label_w + w + 4, y0 + i * bar_h + 11, fmt.format(value)))
    parts.append("</svg>")
    return "".join(parts)


def line_chart(xs: list[str], series: dict[str, list[float]], *, title: str, fmt: str = "{:.2f}",
               width: int = 640, height: int = 240) -> str:
    """Lines over ordered x labels (e.g. dates); a single point is drawn as a dot."""
    if not xs:
        return ""
    left, right, top_pad, bottom = 50, 45, 40, 40
    values = [v for vs in series.values() for v in vs if v == v]
    top = max(values, default=0) or 1.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    x_at = (lambda i: left + plot_w / 2) if len(xs) == 1 else (lambda i: left + plot_w * i / (len(xs) - 1))
    y_at = lambda v: top_pad + plot_h * (1 - v / top)  # noqa: E731
    parts = [_open(width, height, title), _text(8, 18, title, weight="bold"),
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}" stroke="#999"/>',
             _text(left - 4, top_pad + 4, fmt.format(top), anchor="end"),
             _text(left - 4, top_pad + plot_h + 4, fmt.format(0), anchor="end")]
    step = max(1, -(-len(xs) // 6))      # at most six labels, so dates never overlap
    for i in range(0, len(xs), step):
        parts.append(_text(x_at(i), top_pad + plot_h + 16, _clip(xs[i], 12), anchor="middle"))
    for s, (name, vs) in enumerate(series.items()):
        colour = COLOURS[s % len(COLOURS)]
        points = [(x_at(i), y_at(v), xs[i], v) for i, v in enumerate(vs) if v == v]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, label, v in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(name)} '
                         f'{escape(label)}: {fmt.format(v)}</title></circle>')
        parts.append(f'<rect x="{left + s * 170}" y="24" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(left + s * 170 + 14, 33, name))
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: float, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
            f'width="{width}" height="{int(height)}" viewBox="0 0 {width} {int(height)}">')


def _text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" {FONT}>'
            f'{escape(str(text))}</text>')


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"
