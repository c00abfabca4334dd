"""The assessment file (``paraat-assessment/1``) as frozen dataclasses, and its loader.

``load(document)`` checks a parsed JSON document against the JSON Schema
(``assessment-v1.schema.json`` in this package, draft 2020-12) and then against the rules a
schema cannot express (unique keys, references, ranges, cycles).  Every problem found is
collected; the ``AssessmentError`` lists all of them, each as data (``code``, ``path``,
``message``, ``params``) so that a web page can translate the message.  Paths are JSON paths
in the dotted form ``judgements[3].effect``.  Messages never repeat a value from the file
(the effectiveness of an option may be confidential).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

import jsonschema

_R = TypeVar("_R")

SCHEMA_ID: Final = "paraat-assessment/1"
EFFECT_LEVELS: Final[dict[str, int]] = {
    "large_negative": -3,
    "moderate_negative": -2,
    "small_negative": -1,
    "none": 0,
    "small_positive": 1,
    "moderate_positive": 2,
    "large_positive": 3,
}
"""Effect levels on the judgement scale −3 … +3; ``unknown`` has no level."""
CERTAINTIES: Final[tuple[str, ...]] = ("high", "moderate", "low", "very_low", "")
"""GRADE certainty, best first; ``""`` = not graded."""
DEFAULT_CERTAINTY_SPREAD: Final[dict[str, float]] = {
    "high": 0.0,
    "moderate": 0.5,
    "low": 1.0,
    "very_low": 1.5,
    "": 1.0,
}
DEFAULT_LENS_DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    "equal_opportunities": ("education", "work-income"),
}
TESTS: Final[tuple[str, ...]] = (
    "legitimate_aim",
    "suitability",
    "necessity",
    "proportionality",
    "subsidiarity",
    "non_discrimination",
    "time_limit",
)
CHECKLIST: Final[tuple[str, ...]] = (
    "at_stake",
    "within_scope",
    "restricted",
    "absolute",
    "provided_by_law",
    "legitimate_aim",
    "necessary",
)
VALUES: Final[tuple[str, ...]] = (
    "justice",
    "solidarity",
    "equal_opportunities",
    "future_generations",
)
ETD_FIELDS: Final[tuple[str, ...]] = (
    "desirable",
    "undesirable",
    "certainty",
    "equity",
    "acceptability",
    "feasibility",
    "advice",
    "rationale",
)


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an assessment file: a code, the JSON path, a message and its params."""

    code: str
    path: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "params": dict(self.params),
        }


class AssessmentError(ValueError):
    """An assessment file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem], *, file: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = file
        head = f"{file}: " if file else ""
        count = len(self.problems)
        lines = [f"{head}{count} problem{'s' if count != 1 else ''} in the assessment file"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "problems": [p.as_dict() for p in self.problems]}


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class Domain:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    name: str
    vulnerable: bool = False
    size: int | None = None
    size_source: str = ""
    size_as_of: str = ""


@dataclass(frozen=True, slots=True)
class Right:
    key: str
    instrument: str
    article: str
    title: str
    title_en: str = ""
    absolute: bool = False
    url: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    ref: str
    title: str
    year: int | None = None
    type: str = ""
    knowledge_class: str = ""
    certainty: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Effectiveness:
    outcome: str
    source: str
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    confidential: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Acceptability:
    support: float | None = None
    support_low: float | None = None
    support_high: float | None = None
    compliance: float | None = None
    source: str = ""
    effect_on_effectiveness: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    answer: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Touched:
    right: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rights:
    tests: Mapping[str, Answer] = field(default_factory=dict)
    checklist: Mapping[str, Answer] = field(default_factory=dict)
    touched: tuple[Touched, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    name: str
    zero: bool = False
    description: str = ""
    package: str = ""
    measures: tuple[str, ...] = ()
    effectiveness: Effectiveness | None = None
    acceptability: Acceptability | None = None
    rights: Rights = field(default_factory=Rights)
    values: Mapping[str, str] = field(default_factory=dict)
    etd: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FicheCellRef:
    measure: str
    domain: str
    group: str
    version: int | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    option: str
    domain: str
    group: str
    effect: str
    low: str = ""
    high: str = ""
    reach_share: float | None = None
    reach_people: int | None = None
    duration: str = ""
    reversibility: str = ""
    compensability: str = ""
    horizon: str = ""
    certainty: str = ""
    evidence: tuple[str, ...] = ()
    fiche_cells: tuple[FicheCellRef, ...] = ()
    rationale: str = ""

    @property
    def known(self) -> bool:
        return self.effect != "unknown"


@dataclass(frozen=True, slots=True)
class Constraint:
    level: str  # "domain" | "group"
    more: str
    less: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    label: str
    burden: Mapping[str, float]
    date: str = ""


@dataclass(frozen=True, slots=True)
class Parameters:
    certainty_spread: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_CERTAINTY_SPREAD)
    )
    distribution: str = "triangular"
    lens_domains: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_LENS_DOMAINS)
    )


@dataclass(frozen=True, slots=True)
class Assessment:
    """A checked assessment file.  ``document`` is the file as given (plain JSON data)."""

    id: str
    title: str
    question: str
    date: str
    domains: tuple[Domain, ...]
    groups: tuple[Group, ...]
    options: tuple[Option, ...]
    judgements: tuple[Judgement, ...] = ()
    context: str = ""
    scenario_level: str = ""
    synthetic: bool = False
    beleidskompas: Mapping[str, str] = field(default_factory=dict)
    rights_catalogue: tuple[Right, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    domain_weights: Mapping[str, float] | None = None
    group_weights: Mapping[str, float] | None = None
    constraints: tuple[Constraint, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    parameters: Parameters = field(default_factory=Parameters)
    document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)


# --------------------------------------------------------------------------- schema


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``paraat-assessment/1`` (draft 2020-12)."""
    text = (
        resources.files("paraat_core.assessment")
        .joinpath("assessment-v1.schema.json")
        .read_text(encoding="utf-8")
    )
    out: dict[str, Any] = json.loads(text)
    return out


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def json_path(parts: Iterable[str | int]) -> str:
    """``("judgements", 3, "effect")`` → ``judgements[3].effect``."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += f".{p}" if out else str(p)
    return out


_SLUG_HINT: Final = "lowercase letters, digits, '-' and '_', starting with a letter or digit"
_DATE_PATTERN_START: Final = "^[0-9]{4}-"
_JSON_TYPES: Final = {
    "object": "an object",
    "array": "a list",
    "string": "a text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _branch_accepts_type(branch: Mapping[str, Any], kind: str) -> bool:
    t = branch.get("type")
    if t is None:
        return "const" not in branch and "enum" not in branch and "pattern" not in branch
    types = [t] if isinstance(t, str) else list(t)
    return kind in types or (kind == "integer" and "number" in types)


def _schema_problems(err: jsonschema.ValidationError) -> list[Problem]:
    """Turn one jsonschema error into problems with our own codes and messages."""
    parts = list(err.absolute_path)
    path = json_path(parts)
    kind = str(err.validator)
    value: Any = err.validator_value
    inst: Any = err.instance
    rule: Mapping[str, Any] = err.schema if isinstance(err.schema, Mapping) else {}
    if kind in ("anyOf", "oneOf") and err.context:
        branches: list[Any] = list(value)
        ok = [
            i
            for i, b in enumerate(branches)
            if isinstance(b, Mapping) and _branch_accepts_type(b, _json_type(inst))
        ]
        if len(ok) > 1 and isinstance(inst, dict):  # object branches: the one whose keys fit
            ok = [i for i in ok if all(k in inst for k in branches[i].get("required", ()))]
        if len(ok) == 1:
            inner = [e for e in err.context if e.relative_schema_path[0] == ok[0]]
            out: list[Problem] = []
            for e in inner:
                out += _schema_problems(e)
            if out:
                return out
        if parts and parts[-1] == "reach":
            return [
                Problem(
                    "reach",
                    path,
                    'must be either {"share": a number 0–1} or {"people": a whole number}',
                )
            ]
        if parts and parts[-1] in ("size_as_of", "date"):
            return [Problem("date", path, "must be a date YYYY-MM-DD (or empty)")]
        allowed = [_JSON_TYPES.get(str(b.get("type")), "another form") for b in branches]
        return [
            Problem(
                "type",
                path,
                "must be " + " or ".join(dict.fromkeys(allowed)),
                {"expected": allowed},
            )
        ]
    if kind == "required":
        missing = [k for k in value if not (isinstance(inst, dict) and k in inst)]
        return [
            Problem("required", json_path([*parts, k]), "is required", {"field": k})
            for k in missing
        ]
    if kind == "additionalProperties" and isinstance(inst, dict):
        known = set(rule.get("properties", {}))
        extra = [k for k in inst if k not in known]
        return [
            Problem(
                "unknown_field",
                json_path([*parts, str(k)]),
                "is not a field of this object",
                {"field": str(k), "allowed": sorted(known)},
            )
            for k in extra
        ]
    if kind == "enum":
        shown = [v if v != "" else '"" (empty)' for v in value]
        return [
            Problem(
                "enum",
                path,
                "must be one of: " + ", ".join(str(v) for v in shown),
                {"allowed": list(value)},
            )
        ]
    if kind == "const":
        return [Problem("const", path, f"must be {value!r}", {"expected": value})]
    if kind == "type":
        types = [value] if isinstance(value, str) else list(value)
        words = [_JSON_TYPES.get(t, t) for t in types]
        return [Problem("type", path, "must be " + " or ".join(words), {"expected": types})]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        return [Problem(kind, path, f"must be {sign[kind]} {value}", {"limit": value})]
    if kind == "minLength":
        msg = "must not be empty" if value == 1 else f"must have at least {value} characters"
        return [Problem("min_length", path, msg, {"limit": value})]
    if kind == "maxLength":
        return [
            Problem("max_length", path, f"must have at most {value} characters", {"limit": value})
        ]
    if kind == "minItems":
        return [Problem("min_items", path, f"needs at least {value} items", {"limit": value})]
    if kind == "pattern":
        if str(value).startswith(_DATE_PATTERN_START):
            return [Problem("date", path, "must be a date YYYY-MM-DD")]
        return [Problem("slug", path, f"must be a key of {_SLUG_HINT}", {"pattern": value})]
    return [Problem(str(kind), path, "is not valid here", {"rule": str(kind)})]


def _non_finite(doc: object, parts: list[str | int], out: list[Problem]) -> None:
    if isinstance(doc, float) and not math.isfinite(doc):
        out.append(Problem("not_finite", json_path(parts), "must be a finite number"))
    elif isinstance(doc, dict):
        for k, v in doc.items():
            _non_finite(v, [*parts, str(k)], out)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            _non_finite(v, [*parts, i], out)


def validate_schema(document: object) -> list[Problem]:
    """Problems of ``document`` against the JSON Schema (in document order)."""
    problems: list[Problem] = []
    _non_finite(document, [], problems)
    if problems:
        return problems
    errors = sorted(
        _validator().iter_errors(document),
        key=lambda e: [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path],
    )
    for err in errors:
        problems += _schema_problems(err)
    return problems


# --------------------------------------------------------------------------- semantic checks


def _level(name: str) -> int:
    return EFFECT_LEVELS[name]


def _semantic(doc: Mapping[str, Any]) -> list[Problem]:
    p: list[Problem] = []

    def unique(items: Sequence[Mapping[str, Any]], key: str, where: str) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            k = item[key]
            if k in seen:
                p.append(
                    Problem(
                        "duplicate",
                        f"{where}[{i}].{key}",
                        f"{key} appears more than once in {where}",
                        {"value": k},
                    )
                )
            seen.add(k)
        return seen

    try:
        dt.date.fromisoformat(doc["date"])
    except ValueError:
        p.append(Problem("date", "date", "is not an existing calendar date"))
    domains = unique(doc["domains"], "key", "domains")
    groups_list: list[Mapping[str, Any]] = doc["groups"]
    groups = unique(groups_list, "key", "groups")
    sizes = {g["key"]: g.get("size") for g in groups_list}
    for i, g in enumerate(groups_list):
        as_of = g.get("size_as_of")
        if as_of:
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                p.append(Problem("date", f"groups[{i}].size_as_of", "is not an existing date"))
    options_list: list[Mapping[str, Any]] = doc["options"]
    options = unique(options_list, "id", "options")
    evidence = unique(doc.get("evidence", []), "ref", "evidence")
    rights = unique(doc.get("rights_catalogue", []), "key", "rights_catalogue")

    if not any(o.get("zero") for o in options_list):
        p.append(
            Problem(
                "zero_option",
                "options",
                'at least one option must be the zero option ("zero": true: no new measure '
                "or current policy)",
            )
        )
    for i, o in enumerate(options_list):
        base = f"options[{i}]"
        eff = o.get("effectiveness")
        if isinstance(eff, Mapping):
            lo, est, hi = eff.get("low"), eff.get("estimate"), eff.get("high")
            if lo is not None and hi is not None and lo > hi:
                p.append(Problem("range", f"{base}.effectiveness.low", "must be ≤ high"))
            if est is not None and lo is not None and est < lo:
                p.append(Problem("range", f"{base}.effectiveness.estimate", "must be ≥ low"))
            if est is not None and hi is not None and est > hi:
                p.append(Problem("range", f"{base}.effectiveness.estimate", "must be ≤ high"))
        acc = o.get("acceptability")
        if isinstance(acc, Mapping):
            lo, est, hi = acc.get("support_low"), acc.get("support"), acc.get("support_high")
            if lo is not None and hi is not None and lo > hi:
                p.append(
                    Problem("range", f"{base}.acceptability.support_low", "must be ≤ support_high")
                )
            if est is not None and lo is not None and est < lo:
                p.append(Problem("range", f"{base}.acceptability.support", "must be ≥ support_low"))
            if est is not None and hi is not None and est > hi:
                p.append(
                    Problem("range", f"{base}.acceptability.support", "must be ≤ support_high")
                )
        for t, touched in enumerate(o.get("rights", {}).get("touched", [])):
            if touched["right"] not in rights:
                p.append(
                    Problem(
                        "unknown_right",
                        f"{base}.rights.touched[{t}].right",
                        "is not a key of rights_catalogue",
                        {"value": touched["right"]},
                    )
                )

    cells: dict[tuple[str, str, str], int] = {}
    for i, j in enumerate(doc.get("judgements", [])):
        base = f"judgements[{i}]"
        for what, known in (("option", options), ("domain", domains), ("group", groups)):
            if j[what] not in known:
                plural = "options" if what == "option" else f"{what}s"
                key = "id" if what == "option" else "key"
                p.append(
                    Problem(
                        f"unknown_{what}",
                        f"{base}.{what}",
                        f"is not the {key} of one of the {plural}",
                        {"value": j[what]},
                    )
                )
        cell = (j["option"], j["domain"], j["group"])
        if cell in cells:
            p.append(
                Problem(
                    "duplicate_cell",
                    base,
                    f"judges the same option, domain and group as judgements[{cells[cell]}]",
                    {"other": cells[cell]},
                )
            )
        else:
            cells[cell] = i
        effect = j["effect"]
        if effect == "unknown":
            for end in ("low", "high"):
                if end in j:
                    p.append(
                        Problem(
                            "range_unknown",
                            f"{base}.{end}",
                            'must be left out when the effect is "unknown"',
                        )
                    )
        else:
            lvl = _level(effect)
            if "low" in j and _level(j["low"]) > lvl:
                p.append(Problem("range", f"{base}.low", "must be ≤ effect", {"effect": effect}))
            if "high" in j and _level(j["high"]) < lvl:
                p.append(Problem("range", f"{base}.high", "must be ≥ effect", {"effect": effect}))
        reach = j.get("reach")
        has_people = isinstance(reach, Mapping) and "people" in reach
        if has_people and j["group"] in groups and not sizes.get(j["group"]):
            p.append(
                Problem(
                    "reach_needs_size",
                    f"{base}.reach.people",
                    "needs the size of the group (groups[].size); give reach.share instead "
                    "or add the size",
                    {"group": j["group"]},
                )
            )
        for e, ref in enumerate(j.get("evidence", [])):
            if ref not in evidence:
                p.append(
                    Problem(
                        "unknown_evidence",
                        f"{base}.evidence[{e}]",
                        "is not a ref of the evidence list",
                        {"value": ref},
                    )
                )

    weights = doc.get("weights", {})
    for level, known in (("domains", domains), ("groups", groups)):
        wmap = weights.get(level)
        if wmap is None:
            continue
        for k in wmap:
            if k not in known:
                p.append(
                    Problem(
                        "unknown_key",
                        f"weights.{level}.{k}",
                        f"is not a key of {level}",
                        {"value": k},
                    )
                )
        if sum(float(v) for k, v in wmap.items() if k in known) <= 0:
            p.append(
                Problem(
                    "weights_zero",
                    f"weights.{level}",
                    "at least one weight must be positive",
                )
            )

    graph: dict[tuple[str, str], set[str]] = {}
    for i, c in enumerate(doc.get("constraints", [])):
        known = domains if c["level"] == "domain" else groups
        for end in ("more", "less"):
            if c[end] not in known:
                p.append(
                    Problem(
                        "unknown_key",
                        f"constraints[{i}].{end}",
                        f"is not a key of the {c['level']}s",
                        {"value": c[end]},
                    )
                )
        if c["more"] == c["less"]:
            p.append(Problem("self_constraint", f"constraints[{i}]", "compares a key with itself"))
            continue
        graph.setdefault((c["level"], c["more"]), set()).add(c["less"])
    cycle = _cycle(graph)
    if cycle:
        p.append(
            Problem(
                "constraint_cycle",
                "constraints",
                "the constraints form a cycle (" + " ≥ ".join(cycle) + "); that forces equal "
                "weights, which sampling cannot represent",
                {"cycle": cycle},
            )
        )

    preferred = doc.get("beleidskompas", {}).get("preferred_option")
    if preferred and preferred not in options:
        p.append(
            Problem(
                "unknown_option",
                "beleidskompas.preferred_option",
                "is not the id of one of the options",
                {"value": preferred},
            )
        )
    for i, h in enumerate(doc.get("history", [])):
        for k in h["burden"]:
            if k not in groups:
                p.append(
                    Problem(
                        "unknown_group",
                        f"history[{i}].burden.{k}",
                        "is not a key of groups",
                        {"value": k},
                    )
                )
        if h.get("date"):
            try:
                dt.date.fromisoformat(h["date"])
            except ValueError:
                p.append(Problem("date", f"history[{i}].date", "is not an existing date"))
    lens = doc.get("parameters", {}).get("lens_domains", {})
    for lens_name, keys in lens.items():
        for i, k in enumerate(keys):
            if k not in domains:
                p.append(
                    Problem(
                        "unknown_domain",
                        f"parameters.lens_domains.{lens_name}[{i}]",
                        "is not a key of domains",
                        {"value": k},
                    )
                )
    return p


def _cycle(graph: Mapping[tuple[str, str], set[str]]) -> list[str]:
    state: dict[tuple[str, str], int] = {}
    stack: list[tuple[str, str]] = []

    def visit(node: tuple[str, str]) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt_key in sorted(graph.get(node, ())):
            nxt = (node[0], nxt_key)
            if state.get(nxt) == 1:
                loop = stack[stack.index(nxt) :]
                return [k for _, k in loop] + [nxt_key]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


# --------------------------------------------------------------------------- building


def _record(cls: type[_R], data: Mapping[str, Any], **values: Any) -> _R:
    """The dataclass ``cls`` from one object of a valid file: each member of ``data`` goes to
    the field of the same name (the schema admits no other members), a field ``data`` lacks
    keeps its default, and ``values`` (members that need converting) take precedence."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names and k not in values}, **values)


def _answers(data: Mapping[str, Any]) -> dict[str, Answer]:
    return {k: Answer(v.get("answer", ""), v.get("note", "")) for k, v in data.items()}


def _option(o: Mapping[str, Any]) -> Option:
    eff = o.get("effectiveness")
    acc = o.get("acceptability")
    rights = o.get("rights", {})
    return Option(
        id=o["id"],
        name=o["name"],
        zero=bool(o.get("zero", False)),
        description=o.get("description", ""),
        package=o.get("package", ""),
        measures=tuple(o.get("measures", ())),
        effectiveness=None if eff is None else _record(Effectiveness, eff),
        acceptability=None if acc is None else _record(Acceptability, acc),
        rights=Rights(
            tests=_answers(rights.get("tests", {})),
            checklist=_answers(rights.get("checklist", {})),
            touched=tuple(
                Touched(t["right"], t.get("note", "")) for t in rights.get("touched", [])
            ),
        ),
        values=dict(o.get("values", {})),
        etd=dict(o.get("etd", {})),
    )


def _judgement(j: Mapping[str, Any]) -> Judgement:
    reach = j.get("reach", {})
    return _record(
        Judgement,
        j,
        reach_share=None if "share" not in reach else float(reach["share"]),
        reach_people=None if "people" not in reach else int(reach["people"]),
        evidence=tuple(j.get("evidence", ())),
        fiche_cells=tuple(_record(FicheCellRef, f) for f in j.get("fiche_cells", ())),
    )


def _build(doc: Mapping[str, Any]) -> Assessment:
    params = doc.get("parameters", {})
    spread = dict(DEFAULT_CERTAINTY_SPREAD)
    spread.update({k: float(v) for k, v in params.get("certainty_spread", {}).items()})
    lens = dict(DEFAULT_LENS_DOMAINS)
    lens.update({k: tuple(v) for k, v in params.get("lens_domains", {}).items()})
    weights = doc.get("weights", {})
    dw = weights.get("domains")
    gw = weights.get("groups")
    return Assessment(
        id=doc["id"],
        title=doc["title"],
        question=doc["question"],
        date=doc["date"],
        context=doc.get("context", ""),
        scenario_level=doc.get("scenario_level", ""),
        synthetic=bool(doc.get("synthetic", False)),
        beleidskompas=dict(doc.get("beleidskompas", {})),
        domains=tuple(_record(Domain, d) for d in doc["domains"]),
        groups=tuple(
            _record(Group, g, size_as_of=g.get("size_as_of") or "") for g in doc["groups"]
        ),
        rights_catalogue=tuple(_record(Right, r) for r in doc.get("rights_catalogue", [])),
        evidence=tuple(_record(Evidence, e) for e in doc.get("evidence", [])),
        options=tuple(_option(o) for o in doc["options"]),
        judgements=tuple(_judgement(j) for j in doc.get("judgements", [])),
        domain_weights=None if dw is None else {k: float(v) for k, v in dw.items()},
        group_weights=None if gw is None else {k: float(v) for k, v in gw.items()},
        constraints=tuple(
            Constraint(c["level"], c["more"], c["less"]) for c in doc.get("constraints", [])
        ),
        history=tuple(
            HistoryEntry(
                h["label"], {k: float(v) for k, v in h["burden"].items()}, h.get("date") or ""
            )
            for h in doc.get("history", [])
        ),
        parameters=Parameters(
            certainty_spread=spread,
            distribution=params.get("distribution", "triangular"),
            lens_domains=lens,
        ),
        document=doc,
    )


# --------------------------------------------------------------------------- public


def check(document: object) -> list[Problem]:
    """Every problem of ``document`` (empty list: it loads)."""
    problems = validate_schema(document)
    if problems:
        return problems
    assert isinstance(document, dict)
    return _semantic(document)


def load(document: object) -> Assessment:
    """A parsed assessment file → ``Assessment``; ``AssessmentError`` lists every problem."""
    problems = check(document)
    if problems:
        raise AssessmentError(problems)
    assert isinstance(document, dict)
    return _build(document)


def load_file(path: str | Path) -> Assessment:
    """Read and load an assessment file; errors name the file (JSON syntax: line and column)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AssessmentError(
            [Problem("encoding", "", f"is not UTF-8 text (byte {exc.start})", {"byte": exc.start})],
            file=name,
        ) from None
    except OSError as exc:
        raise AssessmentError(
            [Problem("unreadable", "", f"cannot be read: {exc.strerror}")], file=name
        ) from None
    return loads(text, file=name)


def loads(text: str, *, file: str | None = None) -> Assessment:
    """Parse JSON text and load it (JSON syntax errors name line and column)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AssessmentError(
            [
                Problem(
                    "json_syntax",
                    "",
                    f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                    {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
                )
            ],
            file=file,
        ) from None
    except RecursionError:
        raise AssessmentError(
            [Problem("json_depth", "", "is nested too deeply to read")], file=file
        ) from None
    try:
        return load(document)
    except AssessmentError as exc:
        raise AssessmentError(exc.problems, file=file) from None
