#!/usr/bin/env python3
"""Validate the demo knowledge library (knowledge.json) and the base taxonomies (taxonomies.json).

Stdlib only. Run from anywhere:  python3 src/paraat/evidence/demo_data/check_knowledge.py
Exit code 0 when every rule holds; otherwise the violations are listed and the exit code is 1.

Honesty rules checked:
- real items (is_synthetic false): no "(synthetisch)" marking, no DOI, public, not graded; when the seed
  documents are available (PARAAT_SEEDS_DIR, default /work/shared/seeds) their title must occur in a seed
  and their URL must be printed in a seed;
- synthetic items: title ends with " (synthetisch)", summary starts with "Synthetisch demo-item: ", every
  author and the organisation (and on_behalf_of) carry "(fictief)", DOI empty or under the 10.5555/ test prefix;
- fiches and dossiers are synthetic judgements; public content cites public items only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PKG = HERE.parents[1]  # src/paraat
KNOWLEDGE = HERE / "knowledge.json"
TAXONOMIES = PKG / "taxonomies" / "data" / "taxonomies.json"
MEASURES = PKG / "measures" / "demo_data" / "nl_measures.json"
SEEDS_DIR = Path(os.environ.get("PARAAT_SEEDS_DIR", "/work/shared/seeds"))

USERNAMES = {"beheer", "cpo", "voorzitter", "lid", "expert", "extern", "kring", "szw", "analist"}
ITEM_TYPES = {
    "peer_reviewed",
    "systematic_review",
    "report",
    "dataset",
    "expert_note",
    "practice_signal",
    "citizen_panel",
    "policy_document",
    "media",
}
CLASSES = {"scientific", "practice", "experiential", "administrative"}
CERTAINTY = {"high", "moderate", "low", "very_low", ""}
DOWNGRADES = {"risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"}
UPGRADES = {"large_effect", "dose_response", "plausible_confounding"}
PRECISION = {"year", "month", "day"}
INTERESTS = {"declared", "none", "unknown"}
CONFIDENTIALITY = {"public", "internal", "confidential"}
DIRECTIONS = {"positive", "negative", "mixed", "none", "unknown"}
SIZES = {"small", "moderate", "large", ""}
HORIZONS = {"short", "long", "both", ""}
DIMENSIONS = [
    "place",
    "race_ethnicity",
    "occupation",
    "gender",
    "religion",
    "education",
    "socioeconomic",
    "social_capital",
    "age",
    "disability",
    "sexual_orientation",
    "other",
]
DOMAIN_KEYS = [
    "physical-health",
    "mental-health",
    "education",
    "work-income",
    "poverty",
    "social-relations",
    "trust",
    "rule-of-law",
    "safety",
    "economy",
    "culture-sport-leisure",
    "access-to-care",
]
VULNERABLE_REQUIRED = {
    "young-people",
    "elderly",
    "low-income",
    "chronic-illness-disability",
    "mental-health",
    "self-employed",
    "small-entrepreneurs",
    "vital-sector-workers",
    "informal-carers",
    "people-in-institutions",
    "migrants-limited-dutch",
}
FICHE_MEASURES_REQUIRED = {
    "primary-schools-closed",
    "secondary-schools-closed",
    "curfew",
    "hospitality-closed",
    "nonessential-shops-closed",
    "care-home-visiting-ban",
    "work-from-home",
    "events-ban",
    "covid-pass",
    "culture-venues-closed",
    "sports-facilities-closed",
    "higher-education-online",
    "home-visitor-limit",
    "childcare-closed",
}
DOSSIER_KEYS = {"long-covid", "young-people-mental-health", "learning-loss"}
REF_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CITATION = re.compile(r"\[@([a-z0-9][a-z0-9_-]*)\]")  # same pattern as paraat.evidence.services
SYN_TITLE = " (synthetisch)"
SYN_SUMMARY = "Synthetisch demo-item: "
FICTIEF = "(fictief)"
TEST_DOI_PREFIX = "10.5555/"
# Titles of real items that deliberately differ from the seed text, with the reason.
TITLE_EXCEPTIONS = {
    "wrr-2022-coronascenarios-doordacht": (
        "seed 004 prints 'Handreiking voor noodzakelijk keuzes' (typo); the title uses 'noodzakelijke'",
        "Coronascenario's doordacht. Handreiking voor noodzakelijk keuzes",
    ),
}

errors: list[str] = []
warnings: list[str] = []


def err(where: str, msg: str) -> None:
    errors.append(f"{where}: {msg}")


def warn(where: str, msg: str) -> None:
    warnings.append(f"{where}: {msg}")


def norm(text: str) -> str:
    """Lower-case, unify quotes and dashes, collapse whitespace (for matching titles in the seeds)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


def valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- taxonomies -------------------------------------------------------------------------------


def check_taxonomies(tax: dict, catalogue: dict) -> tuple[set[str], set[str]]:
    where = "taxonomies.json"
    if not str(tax.get("about", "")).strip():
        err(where, "about is empty")
    domains = tax.get("domains", [])
    keys = [d.get("key") for d in domains]
    if keys != DOMAIN_KEYS:
        err(where, f"domains must be exactly {DOMAIN_KEYS} in this order, got {keys}")
    positions = [d.get("position") for d in domains]
    if positions != sorted(positions) or len(set(positions)) != len(positions):
        err(where, "domain positions must be unique and increasing")
    for d in domains:
        for field in ("name_nl", "name_en", "description"):
            if not str(d.get(field, "")).strip():
                err(f"{where} domain {d.get('key')}", f"{field} is empty")
    groups = tax.get("groups", [])
    gkeys = [g.get("key") for g in groups]
    dup = [k for k, n in Counter(gkeys).items() if n > 1]
    if dup:
        err(where, f"duplicate group keys {dup}")
    by_key = {g.get("key"): g for g in groups}
    for cg in catalogue.get("groups", []):
        g = by_key.get(cg["key"])
        if g is None:
            err(where, f"catalogue group {cg['key']} missing")
            continue
        for field in ("name_nl", "name_en"):
            if g.get(field) != cg.get(field):
                err(f"{where} group {cg['key']}", f"{field} differs from nl_measures.json")
    for g in groups:
        gw = f"{where} group {g.get('key')}"
        if not REF_RE.match(str(g.get("key", ""))):
            err(gw, "key is not a slug")
        if g.get("dimension") not in DIMENSIONS:
            err(gw, f"unknown dimension {g.get('dimension')!r}")
        if not isinstance(g.get("is_vulnerable"), bool):
            err(gw, "is_vulnerable must be a boolean")
        for field in ("name_nl", "name_en", "description"):
            if not str(g.get(field, "")).strip():
                err(gw, f"{field} is empty")
        if not isinstance(g.get("position"), int):
            err(gw, "position must be an integer")
    dims = {g.get("dimension") for g in groups}
    for dim in DIMENSIONS:
        if dim not in dims:
            err(where, f"no group for PROGRESS-Plus dimension {dim}")
    vulnerable = {g["key"] for g in groups if g.get("is_vulnerable") is True}
    for key in sorted(VULNERABLE_REQUIRED - vulnerable):
        err(where, f"MIT vulnerable group {key} missing or not marked is_vulnerable")
    return set(keys), set(gkeys)


# --- items ------------------------------------------------------------------------------------


def load_seeds() -> tuple[str, str] | None:
    if not SEEDS_DIR.is_dir():
        return None
    raw = "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS_DIR.glob("*.txt"))
    )
    return raw, norm(raw)


def check_link(
    where: str, link: dict, measures: set, packages: set, domains: set, groups: set
) -> None:
    allowed = {"measure", "package", "domain", "group", "direction", "size", "horizon", "note"}
    extra = set(link) - allowed
    if extra:
        err(where, f"unknown link fields {sorted(extra)}")
    if not any(link.get(f) for f in ("measure", "package", "domain", "group")):
        err(where, "link names no measure, package, domain or group")
    if link.get("measure") and link["measure"] not in measures:
        err(where, f"unknown measure {link['measure']!r}")
    if link.get("package") and link["package"] not in packages:
        err(where, f"unknown package {link['package']!r}")
    if link.get("domain") and link["domain"] not in domains:
        err(where, f"unknown domain {link['domain']!r}")
    if link.get("group") and link["group"] not in groups:
        err(where, f"unknown group {link['group']!r}")
    if link.get("direction") not in DIRECTIONS:
        err(where, f"bad direction {link.get('direction')!r}")
    if link.get("size", "") not in SIZES:
        err(where, f"bad size {link.get('size')!r}")
    if link.get("horizon", "") not in HORIZONS:
        err(where, f"bad horizon {link.get('horizon')!r}")


def check_items(
    items: list, measures: set, packages: set, domains: set, groups: set, seeds
) -> dict:
    refs = [i.get("ref") for i in items]
    for ref, n in Counter(refs).items():
        if n > 1:
            err("items", f"duplicate ref {ref}")
    by_ref = {i.get("ref"): i for i in items}
    required = {
        "ref",
        "item_type",
        "title",
        "authors",
        "organisation",
        "published_on",
        "date_precision",
        "doi",
        "url",
        "language",
        "container_title",
        "publisher",
        "keywords",
        "summary",
        "licence",
        "knowledge_class",
        "certainty",
        "certainty_downgrades",
        "certainty_upgrades",
        "certainty_note",
        "submitted_by",
        "submitted_by_name",
        "on_behalf_of",
        "interests_status",
        "declared_interests",
        "confidentiality",
        "is_synthetic",
        "links",
    }
    for item in items:
        ref = item.get("ref", "?")
        w = f"item {ref}"
        missing = required - set(item)
        if missing:
            err(w, f"missing fields {sorted(missing)}")
        if not REF_RE.match(str(ref)) or len(str(ref)) > 120:
            err(w, "ref must be a lower-case slug of at most 120 characters")
        if item.get("item_type") not in ITEM_TYPES:
            err(w, f"bad item_type {item.get('item_type')!r}")
        if item.get("knowledge_class") not in CLASSES:
            err(w, f"bad knowledge_class {item.get('knowledge_class')!r}")
        cert = item.get("certainty", "")
        if cert not in CERTAINTY:
            err(w, f"bad certainty {cert!r}")
        downs, ups = item.get("certainty_downgrades", []), item.get("certainty_upgrades", [])
        if set(downs) - DOWNGRADES or set(ups) - UPGRADES:
            err(w, "unknown GRADE up/downgrade reason")
        if (downs or ups) and not cert:
            err(w, "GRADE up/downgrades given without a certainty level")
        if not str(item.get("title", "")).strip() or len(item.get("title", "")) > 500:
            err(w, "title empty or longer than 500 characters")
        if not valid_date(item.get("published_on")):
            err(w, f"bad published_on {item.get('published_on')!r}")
        if item.get("date_precision") not in PRECISION:
            err(w, f"bad date_precision {item.get('date_precision')!r}")
        if item.get("language") not in ("nl", "en"):
            err(w, f"bad language {item.get('language')!r}")
        if not isinstance(item.get("authors"), list) or not isinstance(item.get("keywords"), list):
            err(w, "authors and keywords must be lists")
        summary = str(item.get("summary", ""))
        if len(re.findall(r"[.!?](?:\s|$)", summary)) < 2:
            err(w, "summary should have at least two sentences")
        if item.get("submitted_by", "") not in USERNAMES | {""}:
            err(w, f"unknown submitted_by {item.get('submitted_by')!r}")
        if item.get("interests_status") not in INTERESTS:
            err(w, f"bad interests_status {item.get('interests_status')!r}")
        if (
            item.get("interests_status") == "declared"
            and not str(item.get("declared_interests", "")).strip()
        ):
            err(w, "interests declared but declared_interests is empty")
        if item.get("confidentiality") not in CONFIDENTIALITY:
            err(w, f"bad confidentiality {item.get('confidentiality')!r}")
        if not isinstance(item.get("is_synthetic"), bool):
            err(w, "is_synthetic must be a boolean")
        url = item.get("url", "")
        if url and not re.match(r"^https?://", url):
            err(w, "url must start with http(s)://")
        links = item.get("links", [])
        if not 1 <= len(links) <= 4:
            err(w, f"needs 1-4 links, has {len(links)}")
        for n, link in enumerate(links, 1):
            check_link(f"{w} link {n}", link, measures, packages, domains, groups)
        if (
            item.get("item_type") == "citizen_panel"
            and item.get("knowledge_class") != "experiential"
        ):
            err(w, "a citizen panel result is experiential knowledge")
        if item.get("item_type") == "practice_signal" and item.get("knowledge_class") != "practice":
            err(w, "a practice signal is practice knowledge")

        if item.get("is_synthetic"):
            check_synthetic_item(w, item)
        else:
            check_real_item(w, item, seeds)
    return by_ref


def check_synthetic_item(w: str, item: dict) -> None:
    if not item.get("title", "").endswith(SYN_TITLE):
        err(w, f"synthetic title must end with '{SYN_TITLE}'")
    if not item.get("summary", "").startswith(SYN_SUMMARY):
        err(w, f"synthetic summary must start with '{SYN_SUMMARY}'")
    for author in item.get("authors", []):
        if FICTIEF not in author:
            err(w, f"synthetic author {author!r} not marked {FICTIEF}")
    if FICTIEF not in item.get("organisation", ""):
        err(w, f"synthetic organisation must be marked {FICTIEF}")
    for field in ("on_behalf_of", "container_title", "publisher"):
        if item.get(field) and FICTIEF not in item[field]:
            err(w, f"synthetic {field} must be marked {FICTIEF}")
    doi = item.get("doi", "")
    if doi and not doi.startswith(TEST_DOI_PREFIX):
        err(w, f"synthetic DOI must be empty or under the test prefix {TEST_DOI_PREFIX}")
    if item.get("url"):
        err(w, "synthetic items carry no URL")
    if item.get("item_type") == "practice_signal":
        if item.get("submitted_by") != "kring" or not item.get("on_behalf_of"):
            err(
                w,
                "practice signals come from a practice circle (submitted_by kring, on_behalf_of set)",
            )
        if item.get("interests_status") != "declared":
            err(w, "practice signals declare interests")
    if item.get("item_type") == "expert_note" and item.get("submitted_by") == "expert":
        if item.get("interests_status") != "declared":
            err(w, "expert notes by the expert member declare interests")


def check_real_item(w: str, item: dict, seeds) -> None:
    if item.get("title", "").endswith(SYN_TITLE) or item.get("summary", "").startswith(
        "Synthetisch"
    ):
        err(w, "real item marked as synthetic")
    if FICTIEF in json.dumps(item, ensure_ascii=False):
        err(w, "real item mentions '(fictief)'")
    if item.get("doi"):
        err(w, "real items get no DOI unless a seed prints it (none do)")
    if item.get("confidentiality") != "public":
        err(w, "real items are public documents")
    if item.get("certainty") or item.get("certainty_downgrades") or item.get("certainty_upgrades"):
        err(w, "real items are not graded in the demo (a grade would be a synthetic judgement)")
    if seeds is None:
        return
    raw, normalised = seeds
    title = item.get("title", "")
    exception = TITLE_EXCEPTIONS.get(item.get("ref"))
    probe = exception[1] if exception else title
    if norm(probe) not in normalised:
        err(w, f"title not found in the seed documents: {title!r}")
    url = item.get("url", "")
    if url and url not in raw:
        err(w, f"url not printed in the seed documents: {url}")


# --- fiches -----------------------------------------------------------------------------------


def item_links_measure(item: dict, measure: str, domain: str | None = None) -> bool:
    return any(
        link.get("measure") == measure and (domain is None or link.get("domain") == domain)
        for link in item.get("links", [])
    )


def check_citations(
    where: str, text: str, by_ref: dict, public_only: bool, allowed: set | None = None
) -> list[str]:
    cited = CITATION.findall(text)
    for ref in cited:
        if ref not in by_ref:
            err(where, f"cites unknown item [@{ref}]")
            continue
        if public_only and by_ref[ref].get("confidentiality") != "public":
            err(where, f"public text cites non-public item [@{ref}]")
        if allowed is not None and ref not in allowed:
            err(where, f"cites [@{ref}], which is not among the listed items")
    if re.search(r"\[@[^\]]*[;,\s][^\]]*\]", text):
        err(where, "use one [@ref] per citation (e.g. '[@a] [@b]'), not '[@a; @b]'")
    return cited


def check_fiche_content(
    w: str, content: dict, measure: str, by_ref: dict, domains: set, groups: set, public: bool
) -> Counter:
    stats: Counter = Counter()
    for field in ("summary", "mitigations", "knowledge_gaps"):
        if not str(content.get(field, "")).strip():
            err(w, f"{field} is empty")
    check_citations(f"{w} mitigations", content.get("mitigations", ""), by_ref, public)
    check_citations(f"{w} knowledge_gaps", content.get("knowledge_gaps", ""), by_ref, public)
    if len(lines(content.get("knowledge_gaps", ""))) < 2:
        err(w, "give at least two knowledge gaps, one per line")
    if len(lines(content.get("mitigations", ""))) < 2:
        err(w, "give at least two mitigations, one per line")
    key = content.get("key_evidence", [])
    if not 2 <= len(key) <= 5:
        err(w, f"key_evidence needs 2-5 refs, has {len(key)}")
    for ref in key:
        item = by_ref.get(ref)
        if item is None:
            err(w, f"key_evidence {ref} unknown")
            continue
        if public and item.get("confidentiality") != "public":
            err(w, f"key_evidence {ref} is not public")
        if not item_links_measure(item, measure):
            err(w, f"key_evidence {ref} does not link to {measure}")
    cells = content.get("cells", [])
    if not 4 <= len(cells) <= 10:
        err(w, f"needs 4-10 cells, has {len(cells)}")
    seen = set()
    for n, cell in enumerate(cells, 1):
        cw = f"{w} cell {n} ({cell.get('domain')}/{cell.get('group') or 'bevolking'})"
        pair = (cell.get("domain"), cell.get("group"))
        if pair in seen:
            err(cw, "duplicate domain × group")
        seen.add(pair)
        if cell.get("domain") not in domains:
            err(cw, "unknown domain")
        if cell.get("group") and cell["group"] not in groups:
            err(cw, "unknown group")
        if cell.get("direction") not in DIRECTIONS:
            err(cw, "bad direction")
        if cell.get("size", "") not in SIZES or cell.get("certainty", "") not in CERTAINTY:
            err(cw, "bad size or certainty")
        if cell.get("horizon", "") not in HORIZONS:
            err(cw, "bad horizon")
        if not str(cell.get("note", "")).strip():
            err(cw, "note is empty")
        conf = cell.get("confidentiality")
        if conf not in ("public", "internal"):
            err(cw, "cell confidentiality must be public or internal")
        evidence = cell.get("evidence", [])
        if not evidence:
            err(cw, "cites no evidence")
        levels = set()
        for ref in evidence:
            item = by_ref.get(ref)
            if item is None:
                err(cw, f"evidence {ref} unknown")
                continue
            levels.add(item.get("confidentiality"))
            if not item_links_measure(item, measure):
                err(cw, f"evidence {ref} does not link to {measure}")
        if evidence and not any(
            ref in by_ref and item_links_measure(by_ref[ref], measure, cell.get("domain"))
            for ref in evidence
        ):
            err(cw, f"no cited item links {measure} to domain {cell.get('domain')}")
        if "confidential" in levels:
            err(cw, "a fiche cell must not cite a confidential item")
        if conf == "public" and levels - {"public"}:
            err(cw, "public cell cites a non-public item")
        if conf == "internal" and "internal" not in levels:
            err(cw, "internal cell without an internal item (make it public)")
        stats[cell.get("direction")] += 1
        stats[f"conf:{conf}"] += 1
    if not any(c.get("direction") == "unknown" for c in cells):
        err(w, "needs at least one 'unknown' cell")
    return stats


def check_fiches(fiches: list, measures: set, by_ref: dict, domains: set, groups: set) -> Counter:
    totals: Counter = Counter()
    if len(fiches) < 14:
        err("fiches", f"need at least 14 fiches, have {len(fiches)}")
    fm = [f.get("measure") for f in fiches]
    for m, n in Counter(fm).items():
        if n > 1:
            err("fiches", f"two fiches for {m}")
    for m in sorted(FICHE_MEASURES_REQUIRED - set(fm)):
        err("fiches", f"no fiche for {m}")
    with_previous = 0
    for fiche in fiches:
        m = fiche.get("measure")
        w = f"fiche {m}"
        if m not in measures:
            err(w, "unknown measure")
        if fiche.get("reviewer") not in USERNAMES:
            err(w, f"unknown reviewer {fiche.get('reviewer')!r}")
        if not valid_date(fiche.get("reviewed_on")):
            err(w, "bad reviewed_on")
        if fiche.get("confidentiality") != "public":
            err(w, "demo fiches are public")
        if fiche.get("is_synthetic") is not True:
            err(w, "fiches are synthetic demo judgements")
        public = fiche.get("confidentiality") == "public"
        totals += check_fiche_content(w, fiche, m, by_ref, domains, groups, public)
        previous = fiche.get("previous_version")
        if previous is not None:
            with_previous += 1
            if not str(previous.get("change_note", "")).strip():
                err(f"{w} previous_version", "change_note is empty")
            check_fiche_content(
                f"{w} previous_version", previous, m, by_ref, domains, groups, public
            )
            if previous.get("cells") == fiche.get("cells"):
                err(
                    f"{w} previous_version",
                    "cells identical to the current version (no diff to show)",
                )
    if with_previous != 2:
        err("fiches", f"exactly 2 fiches should have a previous_version, found {with_previous}")
    if totals["none"] < 2:
        err("fiches", "show 'no effect' (none) in at least two cells")
    if totals["conf:internal"] != 2:
        err("fiches", f"expected exactly 2 internal cells, found {totals['conf:internal']}")
    return totals


# --- dossiers ---------------------------------------------------------------------------------


def check_dossiers(dossiers: list, measures: set, by_ref: dict) -> None:
    keys = {d.get("key") for d in dossiers}
    if len(dossiers) != 3 or keys != DOSSIER_KEYS:
        err(
            "dossiers",
            f"expected the 3 dossiers {sorted(DOSSIER_KEYS)}, got {sorted(k for k in keys if k)}",
        )
    for d in dossiers:
        w = f"dossier {d.get('key')}"
        for field in ("title_nl", "title_en"):
            if not str(d.get(field, "")).strip():
                err(w, f"{field} is empty")
        for m in d.get("measures", []):
            if m not in measures:
                err(w, f"unknown measure {m}")
        if d.get("reviewer") not in USERNAMES:
            err(w, "unknown reviewer")
        if d.get("confidentiality") not in CONFIDENTIALITY:
            err(w, "bad confidentiality")
        if d.get("is_synthetic") is not True:
            err(w, "the synthesis is written for the demo, so is_synthetic must be true")
        items = d.get("items", [])
        if not 5 <= len(items) <= 10 or len(set(items)) != len(items):
            err(w, f"needs 5-10 distinct items, has {len(items)}")
        public = d.get("confidentiality") == "public"
        for ref in items:
            if ref not in by_ref:
                err(w, f"unknown item {ref}")
            elif public and by_ref[ref].get("confidentiality") != "public":
                err(w, f"public dossier lists non-public item {ref}")
        synthesis = d.get("synthesis", "")
        paragraphs = [p for p in re.split(r"\n\s*\n", synthesis) if p.strip()]
        if not 3 <= len(paragraphs) <= 5:
            err(w, f"synthesis needs 3-5 paragraphs, has {len(paragraphs)}")
        first_sentence = re.split(r"(?<=[.!?])\s", synthesis.strip(), maxsplit=1)[0].lower()
        if "synthetische demosynthese" not in first_sentence:
            err(w, "the first sentence must say this is a synthetic demo synthesis")
        cited_all: set[str] = set()
        for n, p in enumerate(paragraphs, 1):
            cited = check_citations(f"{w} paragraph {n}", p, by_ref, public, set(items))
            if not cited:
                err(f"{w} paragraph {n}", "cites no item")
            cited_all |= set(cited)
        for ref in sorted(set(items) - cited_all):
            warn(w, f"item {ref} is listed but not cited in the synthesis")
        if len(lines(d.get("open_questions", ""))) < 2:
            err(w, "give at least two open questions, one per line")


# --- overall ----------------------------------------------------------------------------------


def check_counts(items: list) -> dict:
    real = [i for i in items if not i.get("is_synthetic")]
    syn = [i for i in items if i.get("is_synthetic")]
    if not 12 <= len(real) <= 25:
        err("items", f"aim for 12-25 real items, have {len(real)}")
    if not 35 <= len(syn) <= 55:
        err("items", f"aim for about 40 synthetic items, have {len(syn)}")
    for field, universe in (
        ("item_type", ITEM_TYPES),
        ("knowledge_class", CLASSES),
        ("certainty", CERTAINTY),
    ):
        present = {i.get(field) for i in syn}
        for value in sorted(universe - present):
            err("items", f"no synthetic item with {field} {value!r}")
    conf = Counter(i.get("confidentiality") for i in syn)
    if conf["internal"] != 5 or conf["confidential"] != 4:
        err("items", f"expected 5 internal and 4 confidential synthetic items, got {dict(conf)}")
    signals = [i for i in syn if i.get("item_type") == "practice_signal"]
    if len(signals) < 3:
        err("items", "include several practice signals")
    notes = [
        i for i in syn if i.get("item_type") == "expert_note" and i.get("submitted_by") == "expert"
    ]
    if len(notes) < 2:
        err("items", "include expert notes submitted by the expert member")
    titles = [(i["ref"], norm(i["title"].removesuffix(SYN_TITLE))) for i in items]
    for a in range(len(titles)):
        for b in range(a + 1, len(titles)):
            ratio = difflib.SequenceMatcher(None, titles[a][1], titles[b][1]).ratio()
            if ratio >= 0.85:
                err("items", f"near-duplicate titles {titles[a][0]} / {titles[b][0]} ({ratio:.2f})")
    return {
        "real": len(real),
        "synthetic": len(syn),
        "internal": conf["internal"],
        "confidential": conf["confidential"],
    }


def main() -> int:
    for path in (KNOWLEDGE, TAXONOMIES, MEASURES):
        if not path.is_file():
            print(f"missing {path}")
            return 1
    knowledge = json.loads(KNOWLEDGE.read_text(encoding="utf-8"))
    taxonomies = json.loads(TAXONOMIES.read_text(encoding="utf-8"))
    catalogue = json.loads(MEASURES.read_text(encoding="utf-8"))
    measures = {m["key"] for m in catalogue["measures"]}
    packages = {p["key"] for p in catalogue["packages"]}
    domains, groups = check_taxonomies(taxonomies, catalogue)

    about = knowledge.get("about", {})
    for field in ("nl", "en", "synthetic_note"):
        if not str(about.get(field, "")).strip():
            err("about", f"{field} is empty")
    seeds = load_seeds()
    items = knowledge.get("items", [])
    by_ref = check_items(items, measures, packages, domains, groups, seeds)
    counts = check_counts(items)
    totals = check_fiches(knowledge.get("fiches", []), measures, by_ref, domains, groups)
    check_dossiers(knowledge.get("dossiers", []), measures, by_ref)

    types = Counter(i.get("item_type") for i in items)
    print(
        f"items: {len(items)} ({counts['real']} real, {counts['synthetic']} synthetic; "
        f"{counts['internal']} internal, {counts['confidential']} confidential)"
    )
    print("by type: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
    print(
        f"fiches: {len(knowledge.get('fiches', []))}; cells by direction: "
        + ", ".join(f"{d} {totals[d]}" for d in sorted(DIRECTIONS))
    )
    print(
        f"dossiers: {len(knowledge.get('dossiers', []))}; domains {len(domains)}, groups {len(groups)}"
    )
    if seeds is None:
        print(
            f"note: seed documents not found in {SEEDS_DIR}; title/URL provenance of real items not checked"
        )
    for w in warnings:
        print(f"warning: {w}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
