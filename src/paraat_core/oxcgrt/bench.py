"""Benchmark helper: a realistic synthetic full-with-notes file and a timing run.

``make_synthetic_file`` writes a file with exactly the 147 columns of OxCGRT's
``OxCGRT_fullwithnotes_*`` files: many jurisdictions of about 1000 days each,
piecewise-constant indicator values with consistent flags, a vaccination-
differentiated period (E blank, NV/V filled, M = majority policy), sparse
notes of a few hundred characters containing commas, double quotes and line
breaks, fiscal amounts, vaccine summaries, case counts and index columns.

``run`` times :func:`~paraat_core.oxcgrt.csvio.compute_file` end to end
against ``pandas.read_csv`` of the same file (pandas is imported inside the
function: it is a test/benchmark dependency, not a runtime one).

Run as ``python -m paraat_core.oxcgrt.bench [rows]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from .csvio import compute_file
from .indicators import DIFFERENTIATED, INDICATORS

FULL_WITH_NOTES_HEADER: Final[tuple[str, ...]] = (
    "CountryName",
    "CountryCode",
    "RegionName",
    "RegionCode",
    "Jurisdiction",
    "Date",
    "C1E_School closing",
    "C1E_Flag",
    "C1NV_School closing",
    "C1NV_Flag",
    "C1V_School closing",
    "C1V_Flag",
    "C1M_School closing",
    "C1M_Flag",
    "C1_Notes",
    "C2E_Workplace closing",
    "C2E_Flag",
    "C2NV_Workplace closing",
    "C2NV_Flag",
    "C2V_Workplace closing",
    "C2V_Flag",
    "C2M_Workplace closing",
    "C2M_Flag",
    "C2_Notes",
    "C3E_Cancel public events",
    "C3E_Flag",
    "C3NV_Cancel public events",
    "C3NV_Flag",
    "C3V_Cancel public events",
    "C3V_Flag",
    "C3M_Cancel public events",
    "C3M_Flag",
    "C3_Notes",
    "C4E_Restrictions on gatherings",
    "C4E_Flag",
    "C4NV_Restrictions on gatherings",
    "C4NV_Flag",
    "C4V_Restrictions on gatherings",
    "C4V_Flag",
    "C4M_Restrictions on gatherings",
    "C4M_Flag",
    "C4_Notes",
    "C5E_Close public transport",
    "C5E_Flag",
    "C5NV_Close public transport",
    "C5NV_Flag",
    "C5V_Close public transport",
    "C5V_Flag",
    "C5M_Close public transport",
    "C5M_Flag",
    "C5_Notes",
    "C6E_Stay at home requirements",
    "C6E_Flag",
    "C6NV_Stay at home requirements",
    "C6NV_Flag",
    "C6V_Stay at home requirements",
    "C6V_Flag",
    "C6M_Stay at home requirements",
    "C6M_Flag",
    "C6_Notes",
    "C7E_Restrictions on internal movement",
    "C7E_Flag",
    "C7NV_Restrictions on internal movement",
    "C7NV_Flag",
    "C7V_Restrictions on internal movement",
    "C7V_Flag",
    "C7M_Restrictions on internal movement",
    "C7M_Flag",
    "C7_Notes",
    "C8E_International travel controls",
    "C8NV_International travel controls",
    "C8V_International travel controls",
    "C8EV_International travel controls",
    "C8_Notes",
    "E1_Income support",
    "E1_Flag",
    "E1_Notes",
    "E2_Debt/contract relief",
    "E2_Notes",
    "E3_Fiscal measures",
    "E3_Notes",
    "E4_International support",
    "E4_Notes",
    "H1_Public information campaigns",
    "H1_Flag",
    "H1_Notes",
    "H2_Testing policy",
    "H2_Notes",
    "H3_Contact tracing",
    "H3_Notes",
    "H4_Emergency investment in healthcare",
    "H4_Notes",
    "H5_Investment in vaccines",
    "H5_Notes",
    "H6E_Facial Coverings",
    "H6E_Flag",
    "H6NV_Facial Coverings",
    "H6NV_Flag",
    "H6V_Facial Coverings",
    "H6V_Flag",
    "H6M_Facial Coverings",
    "H6M_Flag",
    "H6_Notes",
    "H7_Vaccination policy",
    "H7_Flag",
    "H7_Notes",
    "H8E_Protection of elderly people",
    "H8E_Flag",
    "H8NV_Protection of elderly people",
    "H8NV_Flag",
    "H8V_Protection of elderly people",
    "H8V_Flag",
    "H8M_Protection of elderly people",
    "H8M_Flag",
    "H8_Notes",
    "M1_Notes",
    "V1_Vaccine Prioritisation (summary)",
    "V1_Notes",
    "V2A_Vaccine Availability (summary)",
    "V2_Notes",
    "V2B_Vaccine age eligibility/availability age floor (general population summary)",
    "V2C_Vaccine age eligibility/availability age floor (at risk summary)",
    "V2D_Medically/ clinically vulnerable (Non-elderly)",
    "V2E_Education",
    "V2F_Frontline workers  (non healthcare)",
    "V2G_Frontline workers  (healthcare)",
    "V3_Vaccine Financial Support (summary)",
    "V3_Notes",
    "V4_Mandatory Vaccination (summary)",
    "V4_Notes",
    "ConfirmedCases",
    "ConfirmedDeaths",
    "MajorityVaccinated",
    "PopulationVaccinated",
    "StringencyIndex_NonVaccinated",
    "StringencyIndex_Vaccinated",
    "StringencyIndex_SimpleAverage",
    "StringencyIndex_WeightedAverage",
    "GovernmentResponseIndex_NonVaccinated",
    "GovernmentResponseIndex_Vaccinated",
    "GovernmentResponseIndex_SimpleAverage",
    "GovernmentResponseIndex_WeightedAverage",
    "ContainmentHealthIndex_NonVaccinated",
    "ContainmentHealthIndex_Vaccinated",
    "ContainmentHealthIndex_SimpleAverage",
    "ContainmentHealthIndex_WeightedAverage",
    "EconomicSupportIndex",
)

DAYS_PER_JURISDICTION: Final = 1000
_START: Final = dt.date(2020, 1, 1)
_NOTE_WORDS: Final = (
    "The government announced",
    "schools, universities and nurseries",
    'the "stay at home" order',
    "see https://example.org/press-release?id=42&lang=en",
    "gatherings of up to 6 people, outdoors only",
    "Source: official gazette, article 5(b)",
    "coded as 2 (targeted) because only some regions, cities",
    "no policy change found; coding continues",
    'quote: "masks are mandatory in shops"',
    "budget of GBP 1,500,000,000 for the scheme",
)
_OBJ = np.dtype(object)


def _text_table(strings: list[str]) -> NDArray[np.object_]:
    table = np.empty(len(strings), dtype=object)
    table[:] = strings
    return table


def _notes_pool(rng: np.random.Generator, size: int) -> list[str]:
    pool = []
    for _ in range(size):
        parts = rng.choice(len(_NOTE_WORDS), size=int(rng.integers(3, 14)))
        text = ", ".join(_NOTE_WORDS[int(i)] for i in parts)
        if rng.random() < 0.3:
            text = text.replace("; ", ";\n", 1).replace(", see", ",\nsee", 1)
        pool.append(text)
    return pool


def _piecewise(
    rng: np.random.Generator, n: int, starts: NDArray[np.bool_], top: int, rate: float
) -> NDArray[np.int64]:
    """Piecewise-constant integers 0..top, changing at random days and group starts."""
    change = (rng.random(n) < rate) | starts
    draws = rng.integers(0, top + 1, size=n)
    idx = np.where(change, np.arange(n), 0)
    np.maximum.accumulate(idx, out=idx)
    return draws[idx]


def make_synthetic_file(path: str | os.PathLike[str], rows: int, seed: int = 0) -> None:
    """Write ``rows`` rows of a realistic full-with-notes OxCGRT file to ``path``."""
    rng = np.random.default_rng(seed)
    n = int(rows)
    t = np.arange(n) % DAYS_PER_JURISDICTION
    group = np.arange(n) // DAYS_PER_JURISDICTION
    starts = t == 0
    n_groups = int(group[-1]) + 1 if n else 0
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    country = [
        letters[(g // 676) % 26] + letters[(g // 26) % 26] + letters[g % 26]
        for g in range(n_groups)
    ]
    subnational = [g % 3 != 0 for g in range(n_groups)]
    cols: dict[str, NDArray[np.object_]] = {}

    def per_group(values: list[str]) -> NDArray[np.object_]:
        return _text_table(values)[group]

    cols["CountryName"] = per_group([f"Country {c}" for c in country])
    cols["CountryCode"] = per_group(country)
    cols["RegionName"] = per_group([f"Region {g}" if s else "" for g, s in enumerate(subnational)])
    cols["RegionCode"] = per_group(
        [
            f"{c}_R{g % 50}" if s else ""
            for g, (c, s) in enumerate(zip(country, subnational, strict=True))
        ]
    )
    cols["Jurisdiction"] = per_group(["STATE_TOTAL" if s else "NAT_TOTAL" for s in subnational])
    date_table = _text_table(
        [
            (_START + dt.timedelta(days=int(d))).strftime("%Y%m%d")
            for d in range(DAYS_PER_JURISDICTION)
        ]
    )
    cols["Date"] = date_table[t]

    value_text = _text_table(["", "0.00", "1.00", "2.00", "3.00", "4.00", "5.00"])
    flag_text = _text_table(["", "0", "1"])
    # Differentiated period for two thirds of the jurisdictions.
    diff_from = rng.integers(550, 700, size=n_groups)[group]
    diff_to = rng.integers(750, 900, size=n_groups)[group]
    differentiated = (t >= diff_from) & (t < diff_to) & (group % 3 != 1)
    vaccinated_share = np.clip((t - 350) / 4.0, 0, 92.0) * rng.uniform(0.8, 1.0, n_groups)[group]
    majority_v = vaccinated_share > 50
    # A few jurisdictions lack recent data (exercise the rejection rules).
    stale = (group % 10 == 4) & (t >= DAYS_PER_JURISDICTION - 3)

    notes = _notes_pool(rng, 200)
    notes_table = _text_table(["", *notes])

    def note_column() -> NDArray[np.object_]:
        pick = np.where(rng.random(n) < 0.05, rng.integers(1, len(notes) + 1, size=n), 0)
        return notes_table[pick]

    def ordinal(code: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        top = INDICATORS[code].max_value
        assert top is not None
        v = _piecewise(rng, n, starts, top, 0.02)
        f = np.where(v > 0, rng.integers(0, 2, size=n), -1)
        missing = stale & (rng.random(n) < 0.5)
        return np.where(missing, -1, v), np.where(missing, -1, f)

    for name in FULL_WITH_NOTES_HEADER:
        if name in cols:
            continue
        prefix, _, rest = name.partition("_")
        if rest == "Notes":
            cols[name] = note_column()
            continue
        code = prefix[:2]
        variant = prefix[2:]
        ind = INDICATORS.get(code)
        if code in DIFFERENTIATED and variant in ("E", "NV", "V", "M", "EV") and rest != "Flag":
            v, f = ordinal(code)
            lower = np.maximum(v - rng.integers(0, 2, size=n), 0)
            lower_f = np.where(lower > 0, f.clip(0), -1)
            if variant == "E":
                vv, ff = np.where(differentiated, -1, v), np.where(differentiated, -1, f)
            elif variant == "NV":
                vv, ff = np.where(differentiated, v, -1), np.where(differentiated, f, -1)
            elif variant == "V":
                vv = np.where(differentiated, lower, -1)
                ff = np.where(differentiated, lower_f, -1)
            else:  # M or EV: everyone, else majority (EV: vaccinated)
                use_v = majority_v if variant == "M" else np.ones(n, dtype=bool)
                vv = np.where(differentiated & use_v, lower, v)
                ff = np.where(differentiated & use_v, lower_f, f)
            cols[name] = value_text[vv + 1]
            flag_name = f"{prefix}_Flag"
            if flag_name in FULL_WITH_NOTES_HEADER:
                cols[flag_name] = flag_text[ff + 1]
            continue
        if rest == "Flag":
            continue  # written with its value column
        if ind is not None and ind.kind == "numeric":
            amounts = np.where(rng.random(n) < 0.01, rng.uniform(1e5, 5e10, size=n), 0.0)
            cols[name] = np.array([f"{a:.2f}" for a in amounts], dtype=object)
            continue
        if ind is not None and ind.max_value is not None and code[0] in "CEH":
            v, f = ordinal(code)
            cols[name] = value_text[v + 1]
            if f"{code}_Flag" in FULL_WITH_NOTES_HEADER:
                cols[f"{code}_Flag"] = flag_text[f + 1]
            continue
        if code.startswith("V"):
            small = _piecewise(rng, n, starts, 3, 0.01)
            if "age floor" in rest:
                cols[name] = _text_table(["", "80+ yrs", "65-69 yrs", "16-19 yrs"])[small]
            else:
                cols[name] = _text_table(["0", "1", "2", ""])[small]
            continue
        if name in ("ConfirmedCases", "ConfirmedDeaths"):
            daily = rng.poisson(50 if name == "ConfirmedCases" else 1, size=n)
            daily[starts] = 0
            total = np.cumsum(daily)
            total -= np.repeat(total[starts], DAYS_PER_JURISDICTION)[:n] if n else total
            cols[name] = np.array([str(int(x)) for x in total], dtype=object)
            continue
        if name == "MajorityVaccinated":
            cols[name] = np.where(majority_v, "V", "NV").astype(object)
            continue
        if name == "PopulationVaccinated":
            cols[name] = np.array([f"{x:.2f}" for x in vaccinated_share], dtype=object)
            continue
        # Published index columns: plausible two-decimal values.
        index_values = np.round(rng.uniform(0, 100, size=n), 2)
        cols[name] = np.array([f"{x:.2f}" for x in index_values], dtype=object)

    missing = [c for c in FULL_WITH_NOTES_HEADER if c not in cols]
    if missing:  # pragma: no cover - guards edits of the header table
        raise RuntimeError(f"no generator for {missing}")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(FULL_WITH_NOTES_HEADER)
        writer.writerows(zip(*(cols[c].tolist() for c in FULL_WITH_NOTES_HEADER), strict=True))


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The shortest wall-clock time of ``repeat`` runs of ``action``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def run(
    rows: int = 200_000,
    *,
    seed: int = 0,
    repeat: int = 3,
    command: Callable[[Path, Path], object] | None = None,
) -> dict[str, float]:
    """Time ``command(source, target)`` against ``pandas.read_csv`` on a synthetic file.

    ``command`` defaults to :func:`compute_file` in this process; the ``paraat bench``
    command passes one that runs the whole ``paraat oxcgrt indices`` command.
    Returns ``{"rows", "command_s", "pandas_read_s", "ratio"}`` with the best
    of ``repeat`` runs each; ``ratio = command_s / pandas_read_s``.
    """
    timed = command or compute_file
    import pandas as pd  # type: ignore[import-untyped]

    with tempfile.TemporaryDirectory(prefix="oxcgrt-bench-") as tmp:
        source = Path(tmp) / "OxCGRT_fullwithnotes_synthetic.csv"
        target = Path(tmp) / "indices.csv"
        make_synthetic_file(source, rows, seed)
        command_s = best_of(repeat, lambda: timed(source, target))
        pandas_read_s = best_of(repeat, lambda: pd.read_csv(source))
    return {
        "rows": float(rows),
        "command_s": command_s,
        "pandas_read_s": pandas_read_s,
        "ratio": command_s / pandas_read_s,
    }


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000), indent=2))
