#!/usr/bin/env python3
"""Validate nl_measures.json and compare its packages with the published OxCGRT stringency index.

Standalone, standard library only.

    python check_nl_measures.py [--data nl_measures.json] [--oxcgrt PATH_TO_StringencyIndex_csv]
                                [--from 2020-02-27] [--to 2022-12-31] [--worst 15] [--max-mad 5]

What it does
1. Validates the JSON: required fields and types, unique keys, references (groups, sectors,
   measures), OxCGRT indicator codes and levels (level <= indicator maximum), ISO dates,
   end >= start, and that the packages form one gap-free, non-overlapping succession
   (each package starts the day after the previous one ends; only the last may be open-ended).
2. Computes the OxCGRT stringency index per day from the packages in force:
   sub-index I = 100 * (v - 0.5 * (F - f)) / N  (I = 0 when v = 0), F = 1 for the flagged
   indicators C1-C7 and H1, f = 1 for a general and 0 for a targeted item; per indicator the
   highest (level, flag) over the items in force is used; stringency = mean of C1..C8 and H1.
   The main series uses all items (everyone + non_vaccinated + vaccinated items, i.e. the
   regime of people without a covid pass, OxCGRT's "non-vaccinated" index).  A second series
   leaves out the non_vaccinated items (OxCGRT's "vaccinated" index).
3. Compares with the published NLD series (Jurisdiction NAT_TOTAL) in the OxCGRT
   StringencyIndex time-series CSV: mean absolute difference per month and overall, the worst
   days, and the "band distance" (0 when the published value, which since Sept 2021 is a
   vaccination-weighted average, lies between our vaccinated and non-vaccinated values).

Exit status: 1 on validation errors, or when --max-mad is given and the overall mean absolute
difference exceeds it; otherwise 0.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import sys
from collections import OrderedDict
from pathlib import Path

MAX_LEVEL = {
    "C1": 3,
    "C2": 3,
    "C3": 2,
    "C4": 4,
    "C5": 2,
    "C6": 3,
    "C7": 2,
    "C8": 4,
    "E1": 2,
    "E2": 2,
    "E3": None,
    "E4": None,
    "H1": 2,
    "H2": 3,
    "H3": 2,
    "H4": None,
    "H5": None,
    "H6": 4,
    "H7": 5,
    "H8": 3,
    "V1": None,
    "V2": None,
    "V3": None,
    "V4": None,
}
# Indicators with a geographic-scope flag (E1's flag means "all workers").
FLAGGED = {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "E1", "H1", "H6", "H7", "H8"}
STRINGENCY = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "H1"]
CATEGORIES = {"containment", "economic_support", "health_system", "vaccination", "other"}
SCOPES = {"general", "targeted"}
APPLIES_TO = {"everyone", "non_vaccinated", "vaccinated"}
EVENT_KINDS = {"press_conference", "decision", "law", "other"}
SCENARIO_LEVELS = {None, "mild", "flu_plus", "persistent", "worst_case"}

HERE = Path(__file__).resolve().parent


def default_oxcgrt_path() -> Path:
    rel = Path("shared/data/oxcgrt/OxCGRT_timeseries_StringencyIndex_v1_selection.csv")
    for parent in HERE.parents:
        candidate = parent / rel
        if candidate.exists():
            return candidate
    return Path("/work") / rel


class Validator:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)

    def need(self, obj: dict, where: str, fields: dict) -> None:
        """fields: name -> tuple of allowed types (None allowed if type(None) in tuple)."""
        if not isinstance(obj, dict):
            self.err(f"{where}: expected an object")
            return
        for name, types in fields.items():
            if name not in obj:
                self.err(f"{where}: missing field '{name}'")
            elif not isinstance(obj[name], types):
                self.err(f"{where}.{name}: wrong type {type(obj[name]).__name__}")

    def date(self, value, where: str) -> dt.date | None:
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.err(f"{where}: not an ISO date: {value!r}")
            return None


def check_level(v: Validator, indicator, level, where: str) -> None:
    if indicator is None:
        if level is not None:
            v.err(f"{where}: level {level} given but the measure has no OxCGRT indicator")
        return
    if indicator not in MAX_LEVEL:
        v.err(f"{where}: unknown OxCGRT indicator {indicator!r}")
        return
    if level is None:
        v.err(f"{where}: indicator {indicator} needs a level")
        return
    if isinstance(level, bool) or not isinstance(level, int) or level < 0:
        v.err(f"{where}: level must be a non-negative integer, got {level!r}")
        return
    mx = MAX_LEVEL[indicator]
    if mx is not None and level > mx:
        v.err(f"{where}: level {level} exceeds the maximum {mx} of {indicator}")


def validate(data: dict) -> tuple[Validator, dict, list]:
    v = Validator()
    STR, OPT_STR, BOOL, LIST = (str,), (str, type(None)), (bool,), (list,)
    v.need(
        data,
        "root",
        {
            "about": (dict,),
            "groups": LIST,
            "sectors": LIST,
            "measures": LIST,
            "packages": LIST,
            "events": LIST,
        },
    )
    if v.errors:
        return v, {}, []
    v.need(
        data["about"],
        "about",
        {
            "title": STR,
            "description_nl": STR,
            "description_en": STR,
            "sources": LIST,
            "synthetic": BOOL,
            "licence_note": STR,
        },
    )
    if data["about"].get("synthetic") is not False:
        v.err("about.synthetic must be false for this historical data set")

    def keyed(items, kind, fields):
        keys = OrderedDict()
        for i, obj in enumerate(items):
            where = f"{kind}[{i}]"
            v.need(obj, where, fields)
            key = obj.get("key") if isinstance(obj, dict) else None
            if key in keys:
                v.err(f"{where}: duplicate key {key!r}")
            elif isinstance(key, str):
                keys[key] = obj
        return keys

    name_fields = {"key": STR, "name_nl": STR, "name_en": STR}
    groups = keyed(data["groups"], "groups", name_fields)
    sectors = keyed(data["sectors"], "sectors", name_fields)
    measures = keyed(
        data["measures"],
        "measures",
        {
            **name_fields,
            "description_nl": STR,
            "description_en": STR,
            "category": STR,
            "oxcgrt_indicator": OPT_STR,
            "level": (int, type(None)),
            "geographic_scope": STR,
            "legal_basis": STR,
            "groups": LIST,
            "sectors": LIST,
            "coding_note": STR,
        },
    )
    for key, m in measures.items():
        where = f"measure {key}"
        if m.get("category") not in CATEGORIES:
            v.err(f"{where}: category {m.get('category')!r} not in {sorted(CATEGORIES)}")
        if m.get("geographic_scope") not in SCOPES:
            v.err(f"{where}: geographic_scope must be general/targeted")
        check_level(v, m.get("oxcgrt_indicator"), m.get("level"), where)
        for g in m.get("groups", []):
            if g not in groups:
                v.err(f"{where}: unknown group {g!r}")
        for s in m.get("sectors", []):
            if s not in sectors:
                v.err(f"{where}: unknown sector {s!r}")
        if not m.get("coding_note"):
            v.warn(f"{where}: empty coding_note")

    pk_fields = {
        **name_fields,
        "description_nl": STR,
        "description_en": STR,
        "start": STR,
        "end": OPT_STR,
        "scope": STR,
        "vaccination_differentiation": BOOL,
        "scenario_level": OPT_STR,
        "sector": OPT_STR,
        "items": LIST,
        "source": STR,
    }
    packages = keyed(data["packages"], "packages", pk_fields)
    spans = []
    for key, p in packages.items():
        where = f"package {key}"
        start = v.date(p.get("start"), f"{where}.start")
        end = v.date(p.get("end"), f"{where}.end")
        if start and end and end < start:
            v.err(f"{where}: end {end} before start {start}")
        if p.get("scope") not in SCOPES:
            v.err(f"{where}: scope must be general/targeted")
        if p.get("scenario_level") not in SCENARIO_LEVELS:
            v.err(f"{where}: unknown scenario_level {p.get('scenario_level')!r}")
        if p.get("sector") is not None and p.get("sector") not in sectors:
            v.err(f"{where}: unknown sector {p.get('sector')!r}")
        if not str(p.get("source", "")).strip():
            v.err(f"{where}: empty source")
        seen = set()
        differentiated = False
        for j, it in enumerate(p.get("items", [])):
            iw = f"{where}.items[{j}]"
            v.need(
                it,
                iw,
                {
                    "measure": STR,
                    "level": (int, type(None)),
                    "geographic_scope": STR,
                    "applies_to": STR,
                },
            )
            if not isinstance(it, dict):
                continue
            mkey = it.get("measure")
            if mkey not in measures:
                v.err(f"{iw}: unknown measure {mkey!r}")
                continue
            if it.get("geographic_scope") not in SCOPES:
                v.err(f"{iw}: geographic_scope must be general/targeted")
            if it.get("applies_to") not in APPLIES_TO:
                v.err(f"{iw}: applies_to must be one of {sorted(APPLIES_TO)}")
            if it.get("applies_to") != "everyone":
                differentiated = True
            if (mkey, it.get("applies_to")) in seen:
                v.err(f"{iw}: measure {mkey} listed twice for {it.get('applies_to')}")
            seen.add((mkey, it.get("applies_to")))
            check_level(v, measures[mkey].get("oxcgrt_indicator"), it.get("level"), iw)
            if "note" in it and (not isinstance(it["note"], str) or len(it["note"]) > 500):
                v.err(f"{iw}: note must be a string of at most 500 characters")
        if differentiated != p.get("vaccination_differentiation"):
            v.err(
                f"{where}: vaccination_differentiation={p.get('vaccination_differentiation')} "
                f"but items {'do' if differentiated else 'do not'} differ by vaccination status"
            )
        if start:
            spans.append((start, end, key))

    spans.sort()
    for (_s1, e1, k1), (s2, _e2, k2) in itertools.pairwise(spans):
        if e1 is None:
            v.err(f"package {k1} is open-ended but is followed by {k2}")
        elif s2 <= e1:
            v.err(f"packages {k1} and {k2} overlap ({s2} <= {e1})")
        elif s2 != e1 + dt.timedelta(days=1):
            v.err(f"gap between {k1} (ends {e1}) and {k2} (starts {s2})")

    for i, ev in enumerate(data["events"]):
        where = f"events[{i}]"
        v.need(
            ev, where, {"date": STR, "title_nl": STR, "title_en": STR, "kind": STR, "source": STR}
        )
        if isinstance(ev, dict):
            v.date(ev.get("date"), f"{where}.date")
            if ev.get("kind") not in EVENT_KINDS:
                v.err(f"{where}: kind must be one of {sorted(EVENT_KINDS)}")
            if not str(ev.get("source", "")).strip():
                v.err(f"{where}: empty source")
    return v, measures, spans


def sub_index(indicator: str, level: int, flag: int) -> float:
    if level <= 0:
        return 0.0
    n = MAX_LEVEL[indicator]
    big_f = 1 if indicator in FLAGGED else 0
    f = flag if big_f else 0
    return 100.0 * (level - 0.5 * (big_f - f)) / n


def stringency_for(items, measures, include) -> float:
    best: dict[str, tuple[int, int]] = {}
    for it in items:
        if it["applies_to"] not in include:
            continue
        ind = measures[it["measure"]]["oxcgrt_indicator"]
        if ind not in STRINGENCY or it["level"] is None:
            continue
        cand = (it["level"], 1 if it["geographic_scope"] == "general" else 0)
        if ind not in best or cand > best[ind]:
            best[ind] = cand
    return sum(sub_index(ind, *best[ind]) for ind in best) / len(STRINGENCY)


def load_published(path: Path) -> dict[dt.date, float]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    col = {name: i for i, name in enumerate(header)}
    out: dict[dt.date, float] = {}
    for row in rows[1:]:
        if row[col["CountryCode"]] == "NLD" and row[col["Jurisdiction"]] == "NAT_TOTAL":
            for name, value in zip(
                header[col["Jurisdiction"] + 1 :], row[col["Jurisdiction"] + 1 :], strict=False
            ):
                if value.strip() == "":
                    continue
                day = dt.datetime.strptime(name, "%d%b%Y").date()
                out[day] = float(value)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=HERE / "nl_measures.json")
    ap.add_argument(
        "--oxcgrt", type=Path, default=None, help="OxCGRT StringencyIndex time-series CSV"
    )
    ap.add_argument("--from", dest="date_from", default="2020-02-27")
    ap.add_argument("--to", dest="date_to", default="2022-12-31")
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("--max-mad", type=float, default=None)
    args = ap.parse_args(argv)

    data = json.loads(args.data.read_text(encoding="utf-8"))
    v, measures, spans = validate(data)
    print(
        f"{args.data.name}: {len(data.get('measures', []))} measures, "
        f"{len(data.get('packages', []))} packages, {len(data.get('events', []))} events"
    )
    for w in v.warnings:
        print("warning:", w)
    if v.errors:
        for e in v.errors:
            print("ERROR:", e)
        print(f"{len(v.errors)} validation error(s)")
        return 1
    print("validation: OK")

    packages = {p["key"]: p for p in data["packages"]}
    d0 = dt.date.fromisoformat(args.date_from)
    d1 = dt.date.fromisoformat(args.date_to)
    if not spans or spans[0][0] > d0:
        print(f"ERROR: no package in force on {d0}")
        return 1
    if spans[-1][1] is not None and spans[-1][1] < d1:
        print(f"ERROR: no package in force after {spans[-1][1]}")
        return 1

    ours_nv: dict[dt.date, float] = {}
    ours_v: dict[dt.date, float] = {}
    idx = 0
    day = d0
    while day <= d1:
        while not (spans[idx][0] <= day and (spans[idx][1] is None or day <= spans[idx][1])):
            idx += 1
        items = packages[spans[idx][2]]["items"]
        ours_nv[day] = stringency_for(items, measures, {"everyone", "non_vaccinated", "vaccinated"})
        ours_v[day] = stringency_for(items, measures, {"everyone", "vaccinated"})
        day += dt.timedelta(days=1)

    path = args.oxcgrt or default_oxcgrt_path()
    if not path.exists():
        print(f"published series not found at {path}; skipping the comparison")
        return 0
    pub = load_published(path)
    days = [d for d in ours_nv if d in pub]
    if not days:
        print("no overlapping days with the published series")
        return 0

    print(
        f"\nComparison with the published OxCGRT stringency index (NLD, NAT_TOTAL), "
        f"{days[0]} .. {days[-1]} ({len(days)} days)"
    )
    print(
        "ours = all items (non-vaccinated regime); band = 0 if published lies between our "
        "vaccinated and non-vaccinated values"
    )
    print(f"{'month':8} {'pub':>6} {'ours':>6} {'MAD':>6} {'band':>6} {'max':>6}")
    months: OrderedDict[str, list] = OrderedDict()
    for d in days:
        months.setdefault(d.strftime("%Y-%m"), []).append(d)
    tot_abs = tot_band = 0.0
    for month, ds in months.items():
        diffs = [abs(ours_nv[d] - pub[d]) for d in ds]
        bands = [max(0.0, pub[d] - ours_nv[d], ours_v[d] - pub[d]) for d in ds]
        tot_abs += sum(diffs)
        tot_band += sum(bands)
        print(
            f"{month:8} {sum(pub[d] for d in ds) / len(ds):6.2f} "
            f"{sum(ours_nv[d] for d in ds) / len(ds):6.2f} {sum(diffs) / len(ds):6.2f} "
            f"{sum(bands) / len(ds):6.2f} {max(diffs):6.2f}"
        )
    mad = tot_abs / len(days)
    print(
        f"\noverall mean absolute difference: {mad:.2f} points "
        f"(band distance {tot_band / len(days):.2f}); "
        f"days within 1 point: {sum(abs(ours_nv[d] - pub[d]) <= 1 for d in days) / len(days):.0%}"
    )

    worst = sorted(days, key=lambda d: abs(ours_nv[d] - pub[d]), reverse=True)[: args.worst]
    print(f"\nworst {len(worst)} days:")
    print(f"{'date':10} {'pub':>6} {'ours':>6} {'ours_V':>6} {'diff':>7}  package")
    for d in sorted(worst):
        key = next(k for s, e, k in spans if s <= d and (e is None or d <= e))
        print(
            f"{d} {pub[d]:6.2f} {ours_nv[d]:6.2f} {ours_v[d]:6.2f} "
            f"{ours_nv[d] - pub[d]:+7.2f}  {key}"
        )

    if args.max_mad is not None and mad > args.max_mad:
        print(f"\nFAIL: mean absolute difference {mad:.2f} > {args.max_mad}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
