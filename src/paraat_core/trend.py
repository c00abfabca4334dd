"""Medium-term trend of a series: direction of the values, apart from any judgement.

Ordinary least squares through the values of a window of ``W`` periods, with ``x`` the position
of each period in the window (a missing period leaves a gap rather than shifting the line). At
least ``max(3, ceil(W / 2))`` values are needed, otherwise there is no trend. With slope ``b``
and ``x_first``/``x_last`` the first and last position holding a value, the change along the line
is ``Δ = b · (x_last − x_first)``; the residual standard deviation ``s = sqrt(Σ e² / (n − 2))``
measures how much the series moves around its own line. The trend is *stable* when
``|Δ| < k · s`` (default ``k = 2``: the change along the line is within the series' own noise;
for 8 equally spaced values this is close to a two-sided t-test of the slope at 10 %) or when
``Δ`` is zero up to rounding; otherwise *rising* (``Δ > 0``) or *falling* (``Δ < 0``).

This separates the direction of the values from whether that is good or bad, as the CBS
broad-wellbeing monitor (Monitor Brede Welvaart) does: the judgement follows from the
indicator's polarity elsewhere.

Worked example (see ``tests/core/test_trend.py``): the values 10, 11, 13, 12, 14, 15 at
positions 0–5 give x̄ = 2.5, ȳ = 12.5, Sxx = 17.5, Sxy = 16.5, b = 0.942857, Δ = 4.714286,
Σe² = 1.942857, s = sqrt(1.942857 / 4) = 0.696932; |Δ| ≥ 2 s = 1.393864: rising.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

DIRECTIONS: Final = ("rising", "falling", "stable")
DEFAULT_DEAD_BAND: Final = 2.0


@dataclass(frozen=True, slots=True)
class Trend:
    direction: str  # "rising", "falling" or "stable"
    slope: float  # per period
    change: float  # along the line, from the first to the last position with a value
    spread: float  # residual standard deviation
    values: int  # number of values used
    first: int  # first position with a value
    last: int  # last position with a value


def minimum_values(window: int) -> int:
    """How many values a window of ``window`` periods needs for a trend."""
    return max(3, math.ceil(window / 2))


def trend(
    points: Sequence[tuple[int, float]],
    *,
    window: int,
    dead_band: float = DEFAULT_DEAD_BAND,
) -> Trend | None:
    """The trend of ``points`` ``(position in the window, value)``; None with too few values.

    Positions run from 0 to ``window - 1``; non-finite values are left out.
    """
    if isinstance(window, bool) or not isinstance(window, int) or window < 3:
        raise ValueError(f"window must be a whole number of at least 3 periods, got {window!r}")
    if not math.isfinite(dead_band) or dead_band < 0:
        raise ValueError(f"dead_band must be a finite number >= 0, got {dead_band!r}")
    pairs = sorted((int(x), float(y)) for x, y in points if math.isfinite(float(y)))
    for x, _y in pairs:
        if not 0 <= x < window:
            raise ValueError(f"position {x} lies outside the window 0..{window - 1}")
    if len({x for x, _y in pairs}) != len(pairs):
        raise ValueError("two values at the same position")
    n = len(pairs)
    if n < minimum_values(window):
        return None
    xbar = sum(x for x, _y in pairs) / n
    ybar = sum(y for _x, y in pairs) / n
    sxx = sum((x - xbar) ** 2 for x, _y in pairs)
    sxy = sum((x - xbar) * (y - ybar) for x, y in pairs)
    slope = sxy / sxx if sxx else 0.0
    residuals = [y - (ybar + slope * (x - xbar)) for x, y in pairs]
    spread = math.sqrt(sum(e * e for e in residuals) / (n - 2))
    change = slope * (pairs[-1][0] - pairs[0][0])
    tiny = 1e-9 * max(1.0, abs(ybar))
    if abs(change) <= tiny or abs(change) < dead_band * spread:
        direction = "stable"
    else:
        direction = "rising" if change > 0 else "falling"
    return Trend(direction, slope, change, spread, n, pairs[0][0], pairs[-1][0])
