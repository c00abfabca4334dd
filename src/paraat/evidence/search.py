"""Full-text search over evidence items with Dutch stemming, on PostgreSQL and on SQLite.

PostgreSQL searches the generated ``search_vector`` column (``dutch`` configuration) with a
tsquery built by ``pg_tsquery``. SQLite searches the FTS5 table ``evidence_search``, whose
text is stemmed with the same Snowball algorithm (``dutch_porter``, the one PostgreSQL's
``dutch`` uses) before indexing; queries are stemmed the same way. Both read the same query
syntax with the same meaning: words (all must occur), ``"a phrase"``, ``OR`` between words
(grouped: ``a OR b c`` is ``(a or b) and c``), ``-word`` to exclude.

Visibility is applied before any text matching: the search only ever sees the queryset that
``filter_visible`` returns for the user, so hidden items are neither ranked, counted nor faceted.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from paraat.evidence.models import EvidenceItem

_WORD = re.compile(r"\w+", re.UNICODE)
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_QUERY_LENGTH = 300
MAX_TERMS = 20


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    algorithms = snowballstemmer.algorithms()
    return snowballstemmer.stemmer("dutch_porter" if "dutch_porter" in algorithms else "dutch")


def fold(word: str) -> str:
    """Lower-case and strip diacritics (``één`` → ``een``), as FTS5's unicode61 tokenizer does."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(fold(word)))


def stem_text(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


@dataclass(frozen=True)
class QueryTerm:
    """One part of a query: a word or phrase (several words), possibly excluded."""

    words: tuple[str, ...]
    exclude: bool = False
    or_with_previous: bool = False


def parse_query(query: str) -> list[QueryTerm]:
    """Split a user's query into terms. Never fails: odd input just gives fewer terms."""
    terms: list[QueryTerm] = []
    pending_or = False
    for match in _QUERY_TOKEN.finditer(query[:MAX_QUERY_LENGTH]):
        minus, phrase, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(terms)
                continue
            exclude = bare.startswith("-") and len(bare) > 1
            found = tuple(words(bare))
        else:
            exclude = minus == "-"
            found = tuple(words(phrase or ""))
        if not found:
            continue
        terms.append(QueryTerm(found, exclude, pending_or and not exclude))
        pending_or = False
        if len(terms) >= MAX_TERMS:
            break
    return terms


def query_stems(query: str) -> set[str]:
    return {stem(w) for term in parse_query(query) if not term.exclude for w in term.words}


def fts5_expression(query: str) -> str:
    """The FTS5 MATCH expression for a query, on stemmed tokens; ``""`` when nothing to match."""

    def quoted(term: QueryTerm) -> str:
        return '"' + " ".join(stem(w) for w in term.words).replace('"', "") + '"'

    groups, excluded = _groups(query)
    if not groups:
        return ""
    expression = " AND ".join(
        quoted(group[0]) if len(group) == 1 else "(" + " OR ".join(map(quoted, group)) + ")"
        for group in groups
    )
    for term in excluded:
        expression = f"({expression}) NOT {quoted(term)}"
    return expression


def _groups(query: str) -> tuple[list[list[QueryTerm]], list[QueryTerm]]:
    """AND-ed groups of OR-ed terms, and the excluded terms (the structure both backends use)."""
    groups: list[list[QueryTerm]] = []
    excluded: list[QueryTerm] = []
    for term in parse_query(query):
        if term.exclude:
            excluded.append(term)
        elif term.or_with_previous and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
    return groups, excluded


def text_match(query: str) -> str:
    """The FTS5 MATCH for a user's query, restricted to the text columns (never ``meta``)."""
    expression = fts5_expression(query)
    return "{title summary body} : (" + expression + ")" if expression else ""


def pg_tsquery(query: str) -> tuple[str, list[str]] | None:
    """SQL for a PostgreSQL tsquery with exactly the meaning of ``fts5_expression``.

    ``(a OR b) AND c AND NOT d``: each word or phrase is a ``phraseto_tsquery`` with the
    ``dutch`` configuration, OR within a group, AND between groups, ``!!`` for exclusions.
    None when there is nothing to match (an empty or exclusion-only query).
    """
    groups, excluded = _groups(query)
    if not groups:
        return None
    params: list[str] = []

    def phrase(term: QueryTerm) -> str:
        params.append(" ".join(term.words))
        return "phraseto_tsquery('dutch', %s)"

    parts = ["(" + " || ".join(phrase(t) for t in group) + ")" for group in groups]
    parts += ["!!" + phrase(t) for t in excluded]
    return "(" + " && ".join(parts) + ")", params


# --- index maintenance ------------------------------------------------------------------------


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def meta_token(kind: str, value: object) -> str:
    """An attribute token for the FTS5 ``meta`` column: letters and digits only, so the
    unicode61 tokenizer keeps it whole, and prefixed so no Dutch word collides with it."""
    return f"xx{kind}{value}".lower().replace("_", "")


def index_rows(item_model: Any, link_model: Any, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """FTS5 rows (rowid, title, summary, body, meta) for items, from plain values.

    Takes the models as arguments so the migration that builds the index can use its
    historical models.
    """
    links: dict[int, list[str]] = {}
    for item_id, measure_id, domain_id, group_id in link_model.objects.filter(
        item_id__in=ids
    ).values_list("item_id", "measure_id", "domain_id", "group_id"):
        tokens = links.setdefault(item_id, [])
        for kind, value in (("m", measure_id), ("d", domain_id), ("p", group_id)):
            if value is not None:
                tokens.append(meta_token(kind, value))
    rows = []
    for values in item_model.objects.filter(pk__in=ids, merged_into__isnull=True).values(
        "pk",
        "title",
        "organisation",
        "summary",
        "full_text",
        "extracted_text",
        "confidentiality",
        "item_type",
        "knowledge_class",
        "certainty",
        "published_on",
        "is_synthetic",
    ):
        meta = [
            meta_token("c", values["confidentiality"]),
            meta_token("t", values["item_type"]),
            meta_token("k", values["knowledge_class"]),
            meta_token("g", values["certainty"] or "ungraded"),
            meta_token("s", int(values["is_synthetic"])),
            *links.get(values["pk"], []),
        ]
        if values["published_on"]:
            meta.append(meta_token("y", values["published_on"].year))
        meta = list(dict.fromkeys(meta))  # each token once per item, so counts are per item
        rows.append(
            (
                values["pk"],
                stem_text(values["title"]),
                stem_text(f"{values['organisation']} {values['summary']}"),
                stem_text(f"{values['full_text']} {values['extracted_text']}"),
                " ".join(meta),
            )
        )
    return rows


def search_index_update(*, item_ids: Iterable[int]) -> None:
    """Bring the SQLite FTS5 rows of these items up to date (PostgreSQL needs nothing).

    Called by every service that changes an item's text, attributes or links.
    """
    if not _is_sqlite():
        return
    from paraat.evidence.models import EvidenceLink

    ids = list(item_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("%s" for _ in chunk)
            cursor.execute(f"DELETE FROM evidence_search WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.executemany(
                "INSERT INTO evidence_search (rowid, title, summary, body, meta) "
                "VALUES (%s, %s, %s, %s, %s)",
                index_rows(EvidenceItem, EvidenceLink, chunk),
            )


def search_index_rebuild() -> int:
    """Re-index every item (SQLite); returns the number of items indexed."""
    if not _is_sqlite():
        return EvidenceItem.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_search")
    ids = list(EvidenceItem.objects.values_list("pk", flat=True))
    search_index_update(item_ids=ids)
    return len(ids)


# --- matching ---------------------------------------------------------------------------------


def _where_sql(queryset: QuerySet[EvidenceItem]) -> tuple[str, list[Any]] | None:
    """The WHERE clause of a join-free item queryset; None when it can match nothing."""
    from django.core.exceptions import EmptyResultSet, FullResultSet

    query = queryset.query
    joins = [a for a, n in query.alias_refcount.items() if n and a != query.base_table]
    if joins:  # pragma: no cover - our filters use subqueries, not joins
        raise ValueError("search filters must not join other tables")
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1", []
    return sql, list(params)


def join_page(
    *, queryset: QuerySet[EvidenceItem], query: str, limit: int, offset: int
) -> tuple[int, list[tuple[int, float]]]:
    """SQLite fallback (per-object grants, long year ranges): total and one ranked page.

    Starts from the FTS5 matches and probes each candidate's row by primary key with the
    queryset's WHERE clause; filtering the item table first would scan every visible item.
    """
    expression = text_match(query)
    where = _where_sql(queryset) if expression else None
    if where is None:
        return 0, []
    where_sql, where_params = where
    joined = (
        "FROM evidence_search JOIN evidence_evidenceitem "
        "ON evidence_evidenceitem.id = evidence_search.rowid "
        f"WHERE evidence_search MATCH %s AND ({where_sql})"
    )
    params = [expression, *where_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {joined}", params)
        total = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT evidence_search.rowid, -{BM25} {joined} "
            f"ORDER BY {BM25}, evidence_search.rowid LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return total, [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def matching_ids_subquery(queryset: QuerySet[EvidenceItem], query: str) -> QuerySet[EvidenceItem]:
    """``queryset`` restricted to matches, without ranking (for counts and facets)."""
    if _is_sqlite():
        expression = text_match(query)
        if not expression:
            return queryset.none()
        return queryset.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM evidence_search WHERE evidence_search MATCH %s", [expression]
            )
        )
    tsquery = pg_tsquery(query)
    if tsquery is None:
        return queryset.none()
    sql, params = tsquery
    # Self-contained, so the queryset can itself be used as a subquery (facets).
    return queryset.filter(
        pk__in=RawSQL(  # noqa: S611
            f"SELECT id FROM evidence_evidenceitem WHERE search_vector @@ {sql}",  # noqa: S608
            params,
        )
    )


# --- the fast path on SQLite: filters inside the index, ranking capped --------------------------

RANK_CAP = 1000
BM25 = "bm25(evidence_search, 10.0, 4.0, 1.0, 0.0)"


def _fts_match(query: str, meta_groups: Sequence[Sequence[str]]) -> str | None:
    """The text query AND each group of attribute tokens; None when nothing can match."""
    text = text_match(query)
    if not text or any(not group for group in meta_groups):
        return None
    return text + "".join(" AND meta : (" + " OR ".join(group) + ")" for group in meta_groups)


def fts_page(
    *,
    query: str,
    meta_groups: Sequence[Sequence[str]],
    limit: int,
    offset: int,
    cap: int | None = None,
) -> tuple[int, list[tuple[int, float]]]:
    """Total and one page of ranked ids, all inside FTS5 (SQLite only).

    ``meta_groups`` are AND-ed groups of OR-ed attribute tokens (visibility and facet filters).
    Relevance (bm25) ranks the ``cap`` most recently added matches; beyond that position the
    remaining matches follow newest first. For up to ``cap`` matches this is a full ranking.
    """
    cap = RANK_CAP if cap is None else cap
    match = _fts_match(query, meta_groups)
    if match is None:
        return 0, []
    results: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM evidence_search WHERE evidence_search MATCH %s", [match]
        )
        total = int(cursor.fetchone()[0])
        end = min(offset + limit, total)
        if offset < min(cap, end):
            cursor.execute(
                f"SELECT id, -score FROM (SELECT rowid AS id, {BM25} AS score "  # noqa: S608
                "FROM evidence_search WHERE evidence_search MATCH %s "
                "ORDER BY rowid DESC LIMIT %s) ORDER BY score, id LIMIT %s OFFSET %s",
                [match, cap, min(end, cap) - offset, offset],
            )
            results += [(int(pk), float(score)) for pk, score in cursor.fetchall()]
        if end > cap:
            start = max(offset, cap)
            cursor.execute(
                "SELECT rowid FROM evidence_search WHERE evidence_search MATCH %s "
                "ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [match, end - start, start],
            )
            results += [(int(pk), 0.0) for (pk,) in cursor.fetchall()]
    return total, results


def fts_facet_tokens(*, query: str, meta_groups: Sequence[Sequence[str]]) -> Counter[str]:
    """How many matching items carry each attribute token (one pass over the matches)."""
    match = _fts_match(query, meta_groups)
    if match is None:
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT meta FROM evidence_search WHERE evidence_search MATCH %s", [match])
        return Counter(" ".join(meta for (meta,) in cursor.fetchall()).split())


PG_BACKWARD_SCAN_SHARE = 0.1
_table_rows: tuple[float, float] = (0.0, 0.0)  # (rows, monotonic time read)


def _pg_table_rows(cursor: Any) -> float:
    """PostgreSQL's row count estimate of the item table, re-read at most once a minute."""
    global _table_rows
    import time

    rows, read_at = _table_rows
    if time.monotonic() - read_at > 60:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'evidence_evidenceitem'::regclass"
        )
        rows = max(float(cursor.fetchone()[0]), 1.0)
        _table_rows = (rows, time.monotonic())
    return rows


def _pg_newest_first(cursor: Any, condition: str, params: list[Any]) -> str:
    """How to order candidates newest first so PostgreSQL takes the cheap route.

    Walking the primary key backwards stops early when the words are common, but tests every
    row's (wide) tsvector on the way; for rarer words the GIN index plus a top-N sort is
    cheaper. PostgreSQL underrates the cost of those tests, so we decide on the planner's row
    estimate ourselves: ``id + 0`` hides the key order and makes it use the GIN index. The
    estimate only chooses a plan; it is never shown (it counts hidden items too).
    """
    cursor.execute(
        f"EXPLAIN (FORMAT JSON) SELECT id FROM evidence_evidenceitem WHERE {condition}",  # noqa: S608
        params,
    )
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    estimated = float(plan[0]["Plan"]["Plan Rows"])
    rows = _pg_table_rows(cursor)
    return "id DESC" if estimated / rows >= PG_BACKWARD_SCAN_SHARE else "id + 0 DESC"


def pg_page(
    *,
    queryset: QuerySet[EvidenceItem],
    query: str,
    limit: int,
    offset: int,
    cap: int | None = None,
) -> tuple[int, list[tuple[int, float]], bool]:
    """PostgreSQL: total, one page of ranked ids, and whether the total is exact.

    One query fetches the ``cap`` + 1 most recently added matches with their ``ts_rank_cd``
    score (PostgreSQL then stops early instead of testing every matching row, and scores only
    those rows, while their text vectors are at hand); the newest ``cap`` of them are ranked.
    With at most ``cap`` matches the total is exact; otherwise it is the lower bound ``cap`` + 1
    (shown as "more than …"), never an estimate from table statistics, which would also count
    items the reader may not see. Beyond position ``cap`` matches follow newest first.
    """
    cap = RANK_CAP if cap is None else cap
    tsquery = pg_tsquery(query)
    where = _where_sql(queryset) if tsquery is not None else None
    if tsquery is None or where is None:
        return 0, [], True
    ts_sql, ts_params = tsquery
    where_sql, where_params = where
    condition = f"search_vector @@ {ts_sql} AND ({where_sql})"
    params = [*ts_params, *where_params]
    results: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        newest_first = _pg_newest_first(cursor, condition, params)
        cursor.execute(
            f"SELECT id, ts_rank_cd(search_vector, {ts_sql}, 1) FROM ("  # noqa: S608
            f"SELECT id, search_vector FROM evidence_evidenceitem WHERE {condition} "
            f"ORDER BY {newest_first} LIMIT %s) AS candidates ORDER BY id DESC",
            [*ts_params, *params, cap + 1],
        )
        candidates = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
        exact = len(candidates) <= cap
        total = len(candidates)
        ranked = sorted(candidates[:cap], key=lambda hit: (-hit[1], hit[0]))
        end = offset + limit if not exact else min(offset + limit, total)
        results += ranked[offset : min(end, cap)]
        if end > cap and not exact:
            start = max(offset, cap)
            cursor.execute(
                f"SELECT id FROM evidence_evidenceitem WHERE {condition} "  # noqa: S608
                "ORDER BY id DESC LIMIT %s OFFSET %s",
                [*params, end - start, start],
            )
            results += [(int(pk), 0.0) for (pk,) in cursor.fetchall()]
    return total, results, exact


# --- snippets ---------------------------------------------------------------------------------


@dataclass
class Snippet:
    html: SafeString
    field: str = ""


def highlight(text: str, stems: set[str]) -> SafeString:
    """Escape ``text`` and wrap words whose stem is in ``stems`` in ``<mark>``."""
    out: list[str] = []
    position = 0
    for found in _WORD.finditer(text):
        out.append(html.escape(text[position : found.start()]))
        word = found.group(0)
        if stem(word) in stems:
            out.append(f"<mark>{html.escape(word)}</mark>")
        else:
            out.append(html.escape(word))
        position = found.end()
    out.append(html.escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippet(texts: Sequence[tuple[str, str]], stems: set[str], *, width: int = 240) -> Snippet:
    """The first window of ``width`` characters around a matching word, highlighted."""
    for field_name, text in texts:
        if not text:
            continue
        for found in _WORD.finditer(text):
            if stem(found.group(0)) in stems:
                start = max(0, found.start() - width // 3)
                if start:
                    space = text.find(" ", start)
                    start = space + 1 if 0 <= space < found.start() else start
                end = min(len(text), start + width)
                if end < len(text):  # end at a word boundary
                    space = text.rfind(" ", found.end(), end)
                    end = space if space > 0 else end
                piece = text[start:end]
                prefix = "… " if start else ""
                suffix = " …" if end < len(text) else ""
                return Snippet(
                    mark_safe(  # noqa: S308 - highlight() escapes
                        html.escape(prefix) + highlight(piece, stems) + html.escape(suffix)
                    ),
                    field_name,
                )
    for field_name, text in texts:
        if text:
            piece = text[:width] + (" …" if len(text) > width else "")
            return Snippet(mark_safe(html.escape(piece)), field_name)  # noqa: S308
    return Snippet(mark_safe(""), "")


@dataclass
class Hit:
    item: EvidenceItem
    score: float
    title_html: SafeString
    snippet: Snippet


@dataclass
class Facet:
    key: str
    label: str
    values: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
