"""Accessible bar charts drawn on the server as SVG (no script, no external service).

Each chart is an ``<svg role="img">`` with a text alternative (``aria-label``),
a ``<title>`` on every bar (its label and value), and the page shows the same
numbers in a table next to it. Colours are the State design system's.
"""
from dataclasses import dataclass, field

from ..formatting import number

BLUE_FRANCE = "#000091"
RED_MARIANNE = "#c9191e"
GREY = "#666666"
TEXT = "#161616"

ROW_HEIGHT = 26
LABEL_WIDTH = 230
BAR_AREA = 330
WIDTH = 640
COLUMN_AREA_HEIGHT = 160


@dataclass
class Bar:
    label: str
    value: int
    text: str
    x: float
    y: float
    width: float
    height: float
    colour: str = BLUE_FRANCE


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    width: int
    height: int
    kind: str  # "bars" (horizontal) or "columns"
    bars: list[Bar] = field(default_factory=list)
    unit: str = ""


def _summary(title: str, items: list[tuple[str, int]]) -> str:
    if not items or not any(value for _label, value in items):
        return f"{title} : aucune donnée."
    shown = ", ".join(f"{label} : {number(value)}" for label, value in items if value)
    return f"{title}. {shown}."


def bar_chart(chart_id: str, title: str, items: list[tuple[str, int]], colours: dict[str, str] | None = None) -> Chart:
    """Horizontal bars, one per ``(label, value)``, longest value at full width."""
    top = max((value for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        width = BAR_AREA * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                text=number(value),
                x=LABEL_WIDTH,
                y=index * ROW_HEIGHT + 4,
                width=round(max(width, 1 if value else 0), 1),
                height=ROW_HEIGHT - 8,
                colour=(colours or {}).get(label, BLUE_FRANCE),
            )
        )
    return Chart(chart_id, title, _summary(title, items), WIDTH, max(len(items), 1) * ROW_HEIGHT + 4, "bars", bars)


def column_chart(chart_id: str, title: str, items: list[tuple[str, int]]) -> Chart:
    """Vertical columns (e.g. one per day), labels under them."""
    top = max((value for _label, value in items), default=0) or 1
    count = max(len(items), 1)
    step = (WIDTH - 20) / count
    bars = []
    for index, (label, value) in enumerate(items):
        height = COLUMN_AREA_HEIGHT * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                text=number(value),
                x=round(10 + index * step + step * 0.15, 1),
                y=round(20 + COLUMN_AREA_HEIGHT - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
            )
        )
    return Chart(chart_id, title, _summary(title, items), WIDTH, COLUMN_AREA_HEIGHT + 50, "columns", bars)
