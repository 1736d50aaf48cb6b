"""The document model every rendering shares: an output described once as a few kinds of block.

`planner.render` turns each object into a `Document` and each text format into a
function over its blocks; `planner.html_page` reads the same blocks, so a format
is one function and a new object is one `document` function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Lines:
    lines: tuple[str, ...]
    bullets: bool = False        # a list in Markdown; plain lines in text
    indent: int = 0              # spaces in text


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    header: bool = True
    indent: int = 0
    widest: dict[str, int] = field(default_factory=dict)   # column -> most characters on a terminal (cut with …)


@dataclass(frozen=True)
class Checklist:
    rows: tuple[tuple[bool, tuple[str, ...]], ...]   # (checked, cells)


@dataclass(frozen=True)
class Document:
    blocks: tuple = field(default_factory=tuple)


def cell(value) -> str:
    """A value for people: empty for missing, 4 significant digits, thousands separated."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def amount(value: float, unit: str, decimals: int | None = None) -> str:
    """`463 mg`, `22.1 mcg`; a share's unit (`% kcal`, `% grains`) is `%`, as its label says of what."""
    unit = "%" if unit.startswith("% ") else f" {unit}"
    if decimals is not None:
        return f"{value:,.{decimals}f}{unit}"
    if unit == " mcg" or abs(value) < 10:
        return f"{value:.1f}{unit}"
    return f"{value:,.0f}{unit}"


def gap_decimals(gap: float) -> int | None:
    """Decimals that show a gap too small for one (0.04 mcg short, not 0.0): None when one is enough."""
    if gap <= 0 or round(gap, 1) > 0:
        return None
    return min(3, -math.floor(math.log10(gap)))


def percent_of_floor(percent: float) -> str:
    """"99%" for a total just under its floor (99.7 %), never "100%": below a floor reads below it; at or above it,
    rounded ("101%")."""
    return f"{math.floor(percent) if percent < 100 else round(percent):.0f}%"
