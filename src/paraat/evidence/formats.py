"""Reading and writing bibliographic reference files for the knowledge library.

Supported formats (the ones Zotero and most reference managers export):

* ``ris``      – RIS, read with :mod:`rispy` after a line-by-line structure check;
* ``bibtex``   – BibTeX / BibLaTeX, read with :mod:`bibtexparser` (v2);
* ``csljson``  – CSL-JSON (a JSON list of CSL items);
* ``csv``      – our own CSV layout (:data:`CSV_COLUMNS`).

This module is deliberately pure Python (no Django) so that it can be used from
management commands, background jobs and tests alike.

Two levels of badness are distinguished:

1. the file as a whole cannot be read (broken syntax, wrong encoding): :class:`FormatError`,
   naming the file, the line and, where known, the field;
2. a single record parses but is unusable (no title, a date that is not a date, an
   unknown type in our CSV): a :class:`Rejection` in :attr:`ParseResult.rejected`; the
   other records are still returned.

All messages meant for users are in Dutch.

Reading notes and limitations:

* RIS: a non-tag line inside a record is a syntax error, except directly after AB, N1 or
  N2, where Zotero writes multi-line abstracts/notes as continuation lines (they are kept
  with their line breaks). Text outside records (e.g. a "Provider:" header) is ignored.
  The first AU/A1 without a comma is taken as the organisation (Zotero writes
  single-field creators such as "Sociaal en Cultureel Planbureau" that way).
* BibTeX: a fully braced author ("{Sociaal en Cultureel Planbureau}") is the organisation,
  otherwise ``institution``/``organization``; LaTeX is decoded (pylatexenc, as
  bibtexparser's own LatexDecodingMiddleware does); an unescaped ``%`` or ``&`` is read
  literally. Every ``library.failed_blocks`` entry (unbalanced block, duplicate field,
  duplicate key) is a syntax error.
* CSL-JSON: a ``literal`` author becomes the organisation (the first one; later ones are
  kept as authors).
* Our own item types without a standard counterpart travel in the "genre" field (RIS M3,
  CSL ``genre``, BibTeX ``type``); a title/keyword with "systematic review" or
  "systematische review" turns a journal article or report into ``systematic_review``.
* CSV: the delimiter is sniffed from the header (",", ";" or tab); empty surplus cells at
  the end of a row are tolerated, non-empty ones are a syntax error. The CSV writer does
  not guard against spreadsheet formula injection (cells starting with "=").
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import rispy
from bibtexparser.entrypoint import parse_string as bibtex_parse_string
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text

__all__ = [
    "CERTAINTIES",
    "CSV_COLUMNS",
    "FORMATS",
    "ITEM_TYPES",
    "KNOWLEDGE_CLASSES",
    "FormatError",
    "ParseResult",
    "ParsedReference",
    "Rejection",
    "detect_format",
    "normalize_doi",
    "parse",
    "write_csljson",
    "write_csv",
    "write_ris",
]

FORMATS: Final = ("ris", "bibtex", "csljson", "csv")

ITEM_TYPES: Final = (
    "peer_reviewed",
    "systematic_review",
    "report",
    "dataset",
    "expert_note",
    "practice_signal",
    "citizen_panel",
    "policy_document",
    "media",
)
KNOWLEDGE_CLASSES: Final = ("scientific", "practice", "experiential", "administrative")
CERTAINTIES: Final = ("high", "moderate", "low", "very_low")

CSV_COLUMNS: tuple[str, ...] = (
    "ref",
    "item_type",
    "title",
    "authors",
    "organisation",
    "published_on",
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
    "on_behalf_of",
    "declared_interests",
)

_FORMAT_LABELS: Final = {
    "ris": "RIS",
    "bibtex": "BibTeX",
    "csljson": "CSL-JSON",
    "csv": "CSV",
}


# --------------------------------------------------------------------------- data model


@dataclass
class ParsedReference:
    """One bibliographic reference, in the knowledge library's own vocabulary."""

    line: int
    ref_key: str = ""
    item_type: str = "peer_reviewed"
    title: str = ""
    authors: list[str] = field(default_factory=list)
    organisation: str = ""
    published_on: datetime.date | None = None
    date_precision: str = "day"
    doi: str = ""
    url: str = ""
    language: str = ""
    container_title: str = ""
    publisher: str = ""
    keywords: list[str] = field(default_factory=list)
    summary: str = ""
    licence: str = ""
    knowledge_class: str = ""
    certainty: str = ""
    on_behalf_of: str = ""
    declared_interests: str = ""


@dataclass(frozen=True)
class Rejection:
    """A record that was read but cannot be used; ``message`` is Dutch."""

    line: int
    field: str
    message: str


@dataclass
class ParseResult:
    file_name: str
    file_format: str
    references: list[ParsedReference]
    rejected: list[Rejection]


class FormatError(ValueError):
    """The file as a whole cannot be read: names file, line and (if known) field."""

    def __init__(self, *, file_name: str, line: int, message: str, field: str = "") -> None:
        self.file_name = file_name
        self.line = line
        self.message = message
        self.field = field
        text = f"{file_name}, regel {line}: {message}"
        if field:
            text += f" (veld: {field})"
        super().__init__(text)


class _SyntaxProblem(Exception):
    """Internal: raised by the format readers, turned into FormatError by :func:`parse`."""

    def __init__(self, line: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


# --------------------------------------------------------------------------- helpers

_NEWLINE_RE: Final = re.compile(r"\r\n|\r|\n")
_DATE_RE: Final = re.compile(
    r"(?P<y>\d{4})(?:[-/](?P<m>\d{1,2})?(?:[-/](?P<d>\d{1,2})?(?:/[^/]*)?)?)?/*"
)
_SYSTEMATIC_RE: Final = re.compile(r"systematic\s+review|systematische\s+review", re.IGNORECASE)

# Our own item types that standard formats have no type for travel in a "genre" field
# (RIS M3, CSL genre, BibTeX type).
_GENRE_LABELS: Final = {
    "systematic_review": "systematische review",
    "expert_note": "expertnotitie",
    "practice_signal": "praktijksignaal",
    "citizen_panel": "burgerpanel",
}
_GENRE_TO_TYPE: Final = {
    **{label: code for code, label in _GENRE_LABELS.items()},
    **{code.replace("_", " "): code for code in _GENRE_LABELS},
    "expert notitie": "expert_note",
    "praktijk signaal": "practice_signal",
    "burger panel": "citizen_panel",
}

_MONTH_NAMES: Final = (
    ("jan", "january", "januari"),
    ("feb", "february", "februari"),
    ("mar", "march", "maart", "mrt"),
    ("apr", "april"),
    ("may", "mei"),
    ("jun", "june", "juni"),
    ("jul", "july", "juli"),
    ("aug", "august", "augustus"),
    ("sep", "sept", "september"),
    ("oct", "october", "okt", "oktober"),
    ("nov", "november"),
    ("dec", "december"),
)
_MONTHS: Final = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names
}


def _one_line(value: str) -> str:
    """Collapse all whitespace (including newlines) to single spaces."""
    return " ".join(value.split())


def _multi_line(value: str) -> str:
    """Normalise a multi-line text: unify newlines, strip every line and the whole."""
    return "\n".join(line.strip() for line in _NEWLINE_RE.split(value)).strip()


def _short(value: str, limit: int = 60) -> str:
    value = _one_line(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _as_str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _dedupe(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _build_date(year: int, month: int | None, day: int | None) -> tuple[datetime.date, str] | None:
    if day is not None and month is None:
        return None
    try:
        value = datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    precision = "day" if day is not None else "month" if month is not None else "year"
    return value, precision


def _parse_date(raw: str) -> tuple[datetime.date, str] | None:
    """Parse "2021", "2021-03", "2021-03-04", "2021/03/04", "2021/03//", "2021///x"."""
    match = _DATE_RE.fullmatch(raw.strip())
    if match is None:
        return None
    month = match.group("m")
    day = match.group("d")
    return _build_date(
        int(match.group("y")),
        int(month) if month else None,
        int(day) if day else None,
    )


def _format_date(value: datetime.date, precision: str, sep: str = "-") -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}{sep}{value.month:02d}"
    return f"{value.year:04d}{sep}{value.month:02d}{sep}{value.day:02d}"


def normalize_doi(value: str) -> str:
    """Return the bare, lower-case DOI ("10.xxxx/…") or "" if ``value`` is not a DOI.

    Accepts "https://doi.org/…", "http://dx.doi.org/…", "doi:…" and surrounding whitespace.
    """
    text = value.strip()
    url = re.match(r"(?:https?://)?(?:www\.|dx\.)?doi\.org/", text, flags=re.IGNORECASE)
    if url is not None:
        text = urllib.parse.unquote(text[url.end() :])
    else:
        text = re.sub(r"^doi:\s*", "", text, flags=re.IGNORECASE)
    text = text.strip().lower()
    if re.fullmatch(r"10\.\d+(?:\.\d+)*/\S+", text) is None:
        return ""
    return text


def _split_list(value: str) -> list[str]:
    """Split a keyword/author cell on ";" (or on "," when there is no ";")."""
    separator = ";" if ";" in value else ","
    return _dedupe(_one_line(part) for part in value.split(separator))


def _resolve_item_type(base: str, *, genre: str, title: str, keywords: Sequence[str]) -> str:
    """Map a format's type to ours; the genre field and systematic-review hints refine it."""
    genre_key = _one_line(genre).lower().replace("_", " ")
    if genre_key in _GENRE_TO_TYPE:
        return _GENRE_TO_TYPE[genre_key]
    if genre_key in ("systematic review", "systematische review"):
        return "systematic_review"
    if base in ("peer_reviewed", "report") and (
        _SYSTEMATIC_RE.search(title) or any(_SYSTEMATIC_RE.search(k) for k in keywords)
    ):
        return "systematic_review"
    return base


def _genre_for(item_type: str) -> str:
    return _GENRE_LABELS.get(item_type, "")


def _split_person(name: str) -> tuple[str, str]:
    """Split a "Family, Given" string at the first comma."""
    family, _, given = name.partition(",")
    return family.strip(), given.strip()


class _RecordBuilder:
    """Collects the problems of one record while its fields are converted."""

    def __init__(self, line: int) -> None:
        self.ref = ParsedReference(line=line)
        self.rejections: list[Rejection] = []

    def reject(self, field_name: str, message: str) -> None:
        self.rejections.append(Rejection(self.ref.line, field_name, message))

    def set_date(self, candidates: Sequence[tuple[str, str]]) -> None:
        """Use the most precise of the (field, raw value) date candidates."""
        rank = {"year": 0, "month": 1, "day": 2}
        best: tuple[datetime.date, str] | None = None
        for field_name, raw in candidates:
            if not raw.strip():
                continue
            parsed = _parse_date(raw)
            if parsed is None:
                self.reject(field_name, f"ongeldige datum: '{_short(raw)}'")
                continue
            if best is None or rank[parsed[1]] > rank[best[1]]:
                best = parsed
        if best is not None:
            self.ref.published_on, self.ref.date_precision = best

    def finish(
        self,
        result: list[ParsedReference],
        rejected: list[Rejection],
        *,
        title_field: str = "title",
    ) -> None:
        ref = self.ref
        ref.title = _one_line(ref.title)
        if not ref.title:
            self.rejections.insert(0, Rejection(ref.line, title_field, "titel ontbreekt"))
        if self.rejections:
            rejected.extend(self.rejections)
        else:
            result.append(ref)


# --------------------------------------------------------------------------- detection


def _format_from_extension(file_name: str, text: str) -> str | None:
    lower = file_name.lower()
    if lower.endswith(".ris"):
        return "ris"
    if lower.endswith(".txt") and re.search(r"^TY  -", text, flags=re.MULTILINE):
        return "ris"
    if lower.endswith((".bib", ".bibtex")):
        return "bibtex"
    if lower.endswith(".json"):
        return "csljson"
    if lower.endswith(".csv"):
        return "csv"
    return None


def _format_from_content(text: str) -> str | None:
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "csljson"
    if re.search(r"^TY  -", text, flags=re.MULTILINE):
        return "ris"
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, flags=re.MULTILINE):
        return "bibtex"
    first_line = _NEWLINE_RE.split(stripped, maxsplit=1)[0]
    cells = [c.strip().strip('"').strip().lower() for c in re.split(r"[,;\t]", first_line)]
    if "title" in cells and len(cells) > 1:
        return "csv"
    return None


def _detect(file_name: str, text: str) -> str:
    found = _format_from_extension(file_name, text) or _format_from_content(text)
    if found is None:
        raise FormatError(
            file_name=file_name,
            line=1,
            message="onbekend bestandsformaat; verwacht RIS, BibTeX, CSL-JSON of CSV",
        )
    return found


def detect_format(*, file_name: str, data: bytes) -> str:
    """Return one of :data:`FORMATS`, by file extension and then by content sniffing."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return _detect(file_name, text)


# --------------------------------------------------------------------------- entry point


def _decode(file_name: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            file_name=file_name,
            line=data[: exc.start].count(b"\n") + 1,
            message="het bestand is geen geldige UTF-8-tekst (onleesbaar teken)",
        ) from None
    return text.removeprefix("\ufeff")


def parse(*, data: bytes, file_name: str, file_format: str | None = None) -> ParseResult:
    """Read ``data`` (the bytes of ``file_name``) as ``file_format`` (detected when None).

    Raises :class:`FormatError` – and nothing else – when the file cannot be read.
    An empty (or whitespace-only) file gives an empty result; its ``file_format`` is the
    given one, else the one its extension suggests, else "".
    """
    if file_format is not None and file_format not in FORMATS:
        raise FormatError(
            file_name=file_name, line=1, message=f"onbekend bestandsformaat '{file_format}'"
        )
    text = _decode(file_name, data)
    if not text.strip():
        fmt = file_format or _format_from_extension(file_name, text) or ""
        return ParseResult(file_name=file_name, file_format=fmt, references=[], rejected=[])
    fmt = file_format or _detect(file_name, text)
    readers = {
        "ris": _read_ris,
        "bibtex": _read_bibtex,
        "csljson": _read_csljson,
        "csv": _read_csv,
    }
    references: list[ParsedReference] = []
    rejected: list[Rejection] = []
    try:
        readers[fmt](text, references, rejected)
    except FormatError:
        raise
    except _SyntaxProblem as exc:
        raise FormatError(
            file_name=file_name, line=exc.line, message=exc.message, field=exc.field
        ) from None
    except RecursionError:
        raise FormatError(
            file_name=file_name, line=1, message="het bestand is te diep genest om te lezen"
        ) from None
    except Exception as exc:  # a library failed in an unforeseen way: still a file problem
        raise FormatError(
            file_name=file_name,
            line=1,
            message=f"het {_FORMAT_LABELS[fmt]}-bestand kon niet worden gelezen "
            f"({type(exc).__name__})",
        ) from None
    return ParseResult(
        file_name=file_name, file_format=fmt, references=references, rejected=rejected
    )


# --------------------------------------------------------------------------- RIS

_RIS_TAG_RE: Final = re.compile(r"([A-Z][A-Z0-9])  -(.*)")
# Tags whose value may continue on following lines (Zotero writes multi-line abstracts
# and notes that way and reads them back with their line breaks).
_RIS_MULTILINE_TAGS: Final = frozenset({"AB", "N1", "N2"})

_RIS_TYPES: Final = {
    "JOUR": "peer_reviewed",
    "RPRT": "report",
    "DATA": "dataset",
    "DBASE": "dataset",
    "GOVDOC": "policy_document",
    "BILL": "policy_document",
    "STAT": "policy_document",
    "LEGAL": "policy_document",
    "NEWS": "media",
    "MGZN": "media",
    "BLOG": "media",
    "ELEC": "media",
    "BOOK": "report",
    "CHAP": "report",
}
_RIS_WRITE_TYPES: Final = {
    "peer_reviewed": "JOUR",
    "systematic_review": "JOUR",
    "report": "RPRT",
    "expert_note": "RPRT",
    "practice_signal": "RPRT",
    "citizen_panel": "RPRT",
    "dataset": "DATA",
    "policy_document": "GOVDOC",
    "media": "NEWS",
}


class _RisReader(rispy.RisParser):  # type: ignore[misc]  # rispy ships no type hints
    """rispy's parser with our (stricter) tag pattern and line-preserving continuations."""

    def parse_line(self, line: str) -> tuple[str | None, str]:
        match = _RIS_TAG_RE.fullmatch(line)
        if match is None:
            return None, line.strip()
        return match.group(1), match.group(2).strip()

    def _add_tag(
        self, record: dict[str, Any], tag: str, content: str, extend_multiline: bool = False
    ) -> None:
        name = self.mapping.get(tag)
        if extend_multiline and name is not None and isinstance(record.get(name), str):
            record[name] = record[name] + "\n" + content
            return
        super()._add_tag(record, tag, content, extend_multiline)


def _ris_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Check the RIS structure line by line; yield (first line number, lines) per record."""
    start = 0
    lines: list[str] = []
    last_tag = ""
    in_record = False
    found = False
    for number, line in enumerate(_NEWLINE_RE.split(text), start=1):
        match = _RIS_TAG_RE.fullmatch(line)
        tag = match.group(1) if match else ""
        if not in_record:
            if tag == "TY":
                in_record, start, lines, last_tag, found = True, number, [line], "TY", True
            elif tag:
                raise _SyntaxProblem(
                    number, "veld staat buiten een record (ontbrekende 'TY  -'-regel)", tag
                )
            # Other text between records (e.g. a "Provider:" header) is ignored.
            continue
        if tag == "TY":
            raise _SyntaxProblem(
                number,
                f"nieuw record begint, maar het record van regel {start} is niet met "
                "'ER  -' afgesloten",
            )
        if tag == "ER":
            lines.append(line)
            in_record = False
            yield start, lines
            continue
        if tag:
            lines.append(line)
            last_tag = tag
        elif last_tag in _RIS_MULTILINE_TAGS:
            lines.append(line)
        elif line.strip():
            raise _SyntaxProblem(
                number, "regel is geen geldige RIS-regel (verwacht 'XX  - waarde')", last_tag
            )
    if in_record:
        raise _SyntaxProblem(start, "record is niet afgesloten met een 'ER  -'-regel")
    if not found:
        raise _SyntaxProblem(1, "geen RIS-records gevonden (geen 'TY  -'-regel)")


def _ris_values(record: dict[str, Any], key: str) -> list[str]:
    value = record.get(key)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _ris_first(record: dict[str, Any], *keys: str) -> str:
    for key in keys:
        for value in _ris_values(record, key):
            if value.strip():
                return value
    return ""


def _read_ris(text: str, result: list[ParsedReference], rejected: list[Rejection]) -> None:
    reader = _RisReader(delimiter_tags_mapping={})
    for start, lines in _ris_records(text):
        records = reader.parse_lines(iter(lines))
        record: dict[str, Any] = records[0] if records else {}
        builder = _RecordBuilder(start)
        ref = builder.ref
        ref.ref_key = _one_line(_ris_first(record, "id"))
        ref.title = _ris_first(record, "title", "primary_title")
        names = [
            _one_line(n)
            for n in _ris_values(record, "authors") + _ris_values(record, "first_authors")
        ]
        for name in _dedupe(names):
            if "," not in name and not ref.organisation:
                ref.organisation = name
            else:
                ref.authors.append(name)
        builder.set_date(
            [
                ("DA", _ris_first(record, "date")),
                ("Y1", _ris_first(record, "publication_year")),
                ("PY", _ris_first(record, "year")),
            ]
        )
        ref.doi = normalize_doi(_ris_first(record, "doi"))
        ref.url = _one_line(_ris_first(record, "urls"))
        ref.language = _one_line(_ris_first(record, "language"))
        ref.container_title = _one_line(
            _ris_first(
                record,
                "secondary_title",
                "journal_name",
                "alternate_title3",
                "alternate_title2",
                "tertiary_title",
            )
        )
        ref.publisher = _one_line(_ris_first(record, "publisher"))
        ref.keywords = _dedupe(_one_line(k) for k in _ris_values(record, "keywords"))
        ref.summary = _multi_line(_ris_first(record, "abstract", "notes_abstract"))
        ris_type = _one_line(_ris_first(record, "type_of_reference")).upper()
        ref.item_type = _resolve_item_type(
            _RIS_TYPES.get(ris_type, "peer_reviewed"),
            genre=_ris_first(record, "type_of_work"),
            title=ref.title,
            keywords=ref.keywords,
        )
        builder.finish(result, rejected, title_field="TI")


def _ris_continuation(line: str) -> str:
    # A continuation line must not look like a tag line; RIS has no escaping.
    if _RIS_TAG_RE.fullmatch(line):
        return line[:2] + " -" + line[4:]
    return line


def write_ris(refs: Iterable[ParsedReference]) -> str:
    """Write RIS as Zotero does (CRLF, one blank line between records).

    Carries: ref_key (ID), item_type (TY, plus M3 for our own types), title (TI),
    authors (AU, "Family, Given"), organisation (AU without comma, after the persons),
    published_on + precision (PY, DA), doi (DO), url (UR), language (LA),
    container_title (T2), publisher (PB), keywords (KW), summary (AB, multi-line).
    Not carried: licence, knowledge_class, certainty, on_behalf_of, declared_interests.
    An organisation name containing a comma is read back as a person; a summary line that
    looks like a RIS tag line ("XX  - …") gets one space less.
    """
    out: list[str] = []

    def tag(name: str, value: str) -> None:
        value = _one_line(value)
        if value:
            out.append(f"{name}  - {value}")

    for ref in refs:
        out.append(f"TY  - {_RIS_WRITE_TYPES.get(ref.item_type, 'RPRT')}")
        tag("ID", ref.ref_key)
        tag("TI", ref.title)
        for author in ref.authors:
            tag("AU", author)
        tag("AU", ref.organisation)
        if ref.published_on is not None:
            tag("PY", f"{ref.published_on.year:04d}")
            if ref.date_precision in ("month", "day"):
                tag("DA", _format_date(ref.published_on, ref.date_precision, "/"))
        tag("DO", ref.doi)
        tag("UR", ref.url)
        tag("LA", ref.language)
        tag("T2", ref.container_title)
        tag("PB", ref.publisher)
        tag("M3", _genre_for(ref.item_type))
        for keyword in ref.keywords:
            tag("KW", keyword)
        summary = _multi_line(ref.summary)
        if summary:
            first, *rest = summary.split("\n")
            out.append(f"AB  - {first}")
            out.extend(_ris_continuation(line) for line in rest)
        out.append("ER  - ")
        out.append("")
    return "\r\n".join(out) + ("\r\n" if out else "")


# --------------------------------------------------------------------------- BibTeX

_BIBTEX_TYPES: Final = {
    "article": "peer_reviewed",
    "inproceedings": "peer_reviewed",
    "conference": "peer_reviewed",
    "techreport": "report",
    "report": "report",
    "misc": "report",
    "online": "report",
    "dataset": "dataset",
    "data": "dataset",
    "legislation": "policy_document",
    "legal": "policy_document",
    "jurisdiction": "policy_document",
}

_LATEX: Final = LatexNodes2Text(math_mode="verbatim")
_LATEX_MARKUP: Final = re.compile(r"[\\{}$~]|--|``|''")


def _latex_to_text(value: str) -> str:
    if _LATEX_MARKUP.search(value) is None:  # fast path: nothing to decode
        return value
    # In BibTeX values an unescaped % or & is nearly always meant literally.
    value = re.sub(r"(?<!\\)([%&])", r"\\\1", value)
    try:
        decoded = _LATEX.latex_to_text(value)
    except Exception:
        decoded = value.replace("{", "").replace("}", "")
    return str(decoded)


def _bibtex_plain(value: str) -> str:
    """For URLs/DOIs: no LaTeX decoding, only drop braces and escaping backslashes."""
    value = re.sub(r"\\([_%&#~$])", r"\1", value)
    return value.replace("{", "").replace("}", "")


def _is_braced(name: str) -> bool:
    """True for "{Sociaal en Cultureel Planbureau}": one brace group around the whole."""
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(name):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(name) - 1:
                return False
    return depth == 0


def _bibtex_person(name: str) -> str:
    parts = parse_single_name_into_parts(name, strict=False)
    family = " ".join(_latex_to_text(p) for p in [*parts.von, *parts.last])
    given = " ".join(_latex_to_text(p) for p in parts.first)
    suffix = " ".join(_latex_to_text(p) for p in parts.jr)
    return ", ".join(_one_line(p) for p in (family, suffix, given) if _one_line(p))


def _bibtex_authors(ref: ParsedReference, value: str) -> None:
    """Persons become "Family, Given"; a fully braced name is a corporate author."""
    for name in split_multiple_persons_names(value):
        name = name.strip()
        if not name or name.lower() == "others":
            continue
        if _is_braced(name):
            corporate = _one_line(_latex_to_text(name[1:-1]))
            if corporate and not ref.organisation:
                ref.organisation = corporate
            elif corporate:
                ref.authors.append(corporate)
        else:
            person = _bibtex_person(name)
            if person:
                ref.authors.append(person)
    ref.authors = _dedupe(ref.authors)


def _bibtex_date(builder: _RecordBuilder, fields: dict[str, str]) -> None:
    date_raw = fields.get("date", "").strip()
    if date_raw:
        # BibLaTeX writes ranges as "2021-03/2021-05": use the start.
        if _parse_date(date_raw) is None and "/" in date_raw:
            date_raw = date_raw.split("/", 1)[0]
        builder.set_date([("date", date_raw)])
        return
    year = fields.get("year", "").strip()
    month_raw = _one_line(fields.get("month", "")).lower().rstrip(".")
    day_raw = fields.get("day", "").strip()
    if not year:
        return
    if re.fullmatch(r"\d{4}", year) is None:
        builder.reject("year", f"ongeldig jaartal: '{_short(year)}'")
        return
    month: int | None = None
    if month_raw:
        month = int(month_raw) if month_raw.isdigit() and len(month_raw) <= 2 else None
        month = month if month is not None else _MONTHS.get(month_raw)
        if month is None:
            builder.reject("month", f"ongeldige maand: '{_short(month_raw)}'")
            return
    day = int(day_raw) if day_raw.isdigit() and len(day_raw) <= 2 else None
    if day_raw and day is None:
        builder.reject("day", f"ongeldige dag: '{_short(day_raw)}'")
        return
    parsed = _build_date(int(year), month, day)
    if parsed is None:
        builder.reject("year", f"ongeldige datum: '{_short(' '.join((year, month_raw, day_raw)))}'")
        return
    builder.ref.published_on, builder.ref.date_precision = parsed


def _bibtex_entry(entry: Entry, result: list[ParsedReference], rejected: list[Rejection]) -> None:
    fields: dict[str, str] = {}
    for item in entry.fields:
        key = str(item.key).strip().lower()
        if key not in fields:
            fields[key] = item.value if isinstance(item.value, str) else str(item.value)
    start = (entry.start_line or 0) + 1
    builder = _RecordBuilder(start)
    ref = builder.ref
    ref.ref_key = _one_line(str(entry.key))

    def text(*keys: str) -> str:
        for key in keys:
            value = _one_line(_latex_to_text(fields.get(key, "")))
            if value:
                return value
        return ""

    ref.title = text("title")
    try:
        _bibtex_authors(ref, fields.get("author", ""))
    except Exception:  # bibtexparser's name splitter rejects some odd author fields
        builder.reject("author", "auteursveld is onleesbaar")
    if not ref.organisation:
        ref.organisation = text("institution", "organization")
    _bibtex_date(builder, fields)
    ref.doi = normalize_doi(_bibtex_plain(fields.get("doi", "")))
    ref.url = _one_line(_bibtex_plain(fields.get("url", "")))
    ref.language = text("langid", "language")
    ref.container_title = text("journal", "journaltitle", "booktitle", "series")
    ref.publisher = text("publisher")
    ref.keywords = _split_list(_latex_to_text(fields.get("keywords", "")))
    ref.summary = _multi_line(_latex_to_text(fields.get("abstract", "")))
    ref.licence = text("license", "licence", "copyright")
    ref.item_type = _resolve_item_type(
        _BIBTEX_TYPES.get(str(entry.entry_type).lower(), "report"),
        genre=text("type"),
        title=ref.title,
        keywords=ref.keywords,
    )
    builder.finish(result, rejected)


_BIBTEX_BLOCK: Final = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)


def _read_bibtex(text: str, result: list[ParsedReference], rejected: list[Rejection]) -> None:
    library = bibtex_parse_string(text)
    if library.failed_blocks:
        block = min(library.failed_blocks, key=lambda b: b.start_line or 0)
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateFieldKeyBlock):
            keys = ", ".join(sorted(block.duplicate_keys))
            raise _SyntaxProblem(line, "veld komt meer dan eens voor in het BibTeX-item", keys)
        if isinstance(block, DuplicateBlockKeyBlock):
            raise _SyntaxProblem(line, f"BibTeX-sleutel '{_short(block.key)}' komt dubbel voor")
        fields_seen = re.findall(r"([A-Za-z][\w-]*)\s*=", block.raw or "")
        raise _SyntaxProblem(
            line, "onleesbaar BibTeX-blok", fields_seen[-1].lower() if fields_seen else ""
        )
    if not library.entries and not _BIBTEX_BLOCK.search(text):
        # Text outside @blocks is a comment in BibTeX, so any text "parses": a file without a
        # single @block is not a BibTeX file (e.g. a web page saved as .bib).
        raise _SyntaxProblem(1, "geen BibTeX-items gevonden (een item begint met @type{sleutel,)")
    for entry in library.entries:
        _bibtex_entry(entry, result, rejected)


# --------------------------------------------------------------------------- CSL-JSON

_CSL_TYPES: Final = {
    "article-journal": "peer_reviewed",
    "report": "report",
    "dataset": "dataset",
    "legislation": "policy_document",
    "legal_case": "policy_document",
    "bill": "policy_document",
    "article-newspaper": "media",
    "article-magazine": "media",
    "post-weblog": "media",
    "webpage": "media",
}
_CSL_WRITE_TYPES: Final = {
    "peer_reviewed": "article-journal",
    "systematic_review": "article-journal",
    "report": "report",
    "expert_note": "report",
    "practice_signal": "report",
    "citizen_panel": "report",
    "dataset": "dataset",
    "policy_document": "legislation",
    "media": "article-newspaper",
}


def _json_element_lines(text: str) -> list[int]:
    """Line numbers where the elements of the top-level JSON array start (valid JSON)."""
    lines: list[int] = []
    depth = 0
    line = 1
    in_string = escaped = expecting = False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if depth == 1 and expecting and char not in " \t\r\n,]":
            lines.append(line)
            expecting = False
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            expecting = depth == 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 1:
            expecting = True
    return lines


def _csl_name(person: dict[str, Any]) -> str:
    family = " ".join(
        _one_line(_as_str(person.get(k))) for k in ("non-dropping-particle", "family")
    ).strip()
    given = " ".join(
        _one_line(_as_str(person.get(k))) for k in ("given", "dropping-particle")
    ).strip()
    suffix = _one_line(_as_str(person.get("suffix")))
    return ", ".join(p for p in (family, suffix, given) if p)


def _csl_date(builder: _RecordBuilder, issued: object) -> None:
    if isinstance(issued, str | int):
        builder.set_date([("issued", str(issued))])
        return
    if not isinstance(issued, dict):
        return
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts:
        first = parts[0]
        if not isinstance(first, list):
            builder.reject("issued", "ongeldige datum (date-parts)")
            return
        numbers: list[int] = []
        for part in first[:3]:
            text = _as_str(part).strip()
            if not re.fullmatch(r"\d{1,4}", text):
                builder.reject("issued", f"ongeldige datum: '{_short(str(first))}'")
                return
            numbers.append(int(text))
        if not numbers:
            return
        parsed = _build_date(
            numbers[0],
            numbers[1] if len(numbers) > 1 else None,
            numbers[2] if len(numbers) > 2 else None,
        )
        if parsed is None:
            builder.reject("issued", f"ongeldige datum: '{_short(str(first))}'")
            return
        builder.ref.published_on, builder.ref.date_precision = parsed
        return
    for key in ("raw", "literal"):
        raw = _as_str(issued.get(key))
        if raw.strip():
            builder.set_date([("issued", raw)])
            return


def _read_csljson(text: str, result: list[ParsedReference], rejected: list[Rejection]) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _SyntaxProblem(exc.lineno, f"ongeldige JSON (kolom {exc.colno})") from None
    if not isinstance(data, list):
        raise _SyntaxProblem(1, "CSL-JSON moet een lijst van objecten zijn ([ {…}, {…} ])")
    lines = _json_element_lines(text)
    if len(lines) != len(data):
        lines = [1] * len(data)
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise _SyntaxProblem(
                lines[index], f"element {index + 1} van de CSL-JSON-lijst is geen object"
            )
        builder = _RecordBuilder(lines[index])
        ref = builder.ref
        ref.ref_key = _one_line(_as_str(item.get("id")) or _as_str(item.get("citation-key")))
        ref.title = _as_str(item.get("title"))
        authors = item.get("author")
        for person in authors if isinstance(authors, list) else []:
            if not isinstance(person, dict):
                continue
            literal = _one_line(_as_str(person.get("literal")))
            if literal:
                if not ref.organisation:
                    ref.organisation = literal
                else:
                    ref.authors.append(literal)
                continue
            name = _csl_name(person)
            if name:
                ref.authors.append(name)
        ref.authors = _dedupe(ref.authors)
        _csl_date(builder, item.get("issued"))
        ref.doi = normalize_doi(_as_str(item.get("DOI")))
        ref.url = _one_line(_as_str(item.get("URL")))
        ref.language = _one_line(_as_str(item.get("language")))
        container = item.get("container-title")
        if isinstance(container, list) and container:
            container = container[0]
        ref.container_title = _one_line(_as_str(container))
        ref.publisher = _one_line(_as_str(item.get("publisher")))
        keywords = item.get("keyword")
        if isinstance(keywords, list):
            ref.keywords = _dedupe(_one_line(_as_str(k)) for k in keywords)
        else:
            ref.keywords = _split_list(_as_str(keywords))
        ref.summary = _multi_line(_as_str(item.get("abstract")))
        ref.licence = _one_line(_as_str(item.get("license")))
        ref.item_type = _resolve_item_type(
            _CSL_TYPES.get(_as_str(item.get("type")), "report"),
            genre=_as_str(item.get("genre")),
            title=ref.title,
            keywords=ref.keywords,
        )
        builder.finish(result, rejected)


def write_csljson(refs: Iterable[ParsedReference]) -> str:
    """Write a CSL-JSON list (UTF-8, indented), importable by Zotero and citeproc.

    Carries: ref_key (id; left out when empty), item_type (type, plus genre for our own
    types), title, authors (family/given split at the first comma), organisation (a
    ``literal`` author), published_on + precision (issued date-parts), doi (DOI),
    url (URL), language, container_title (container-title), publisher, keywords
    (keyword, joined with ", "), summary (abstract), licence (license).
    Not carried: knowledge_class, certainty, on_behalf_of, declared_interests.
    Keywords that contain "," or ";" are split on reading.
    """
    items: list[dict[str, Any]] = []
    for ref in refs:
        item: dict[str, Any] = {}
        if _one_line(ref.ref_key):
            item["id"] = _one_line(ref.ref_key)
        item["type"] = _CSL_WRITE_TYPES.get(ref.item_type, "report")
        if _genre_for(ref.item_type):
            item["genre"] = _genre_for(ref.item_type)
        item["title"] = _one_line(ref.title)
        authors: list[dict[str, str]] = []
        for author in ref.authors:
            family, given = _split_person(_one_line(author))
            if family and given:
                authors.append({"family": family, "given": given})
            elif family or given:
                authors.append({"family": family or given})
        if _one_line(ref.organisation):
            authors.append({"literal": _one_line(ref.organisation)})
        if authors:
            item["author"] = authors
        if ref.published_on is not None:
            parts = [ref.published_on.year]
            if ref.date_precision in ("month", "day"):
                parts.append(ref.published_on.month)
            if ref.date_precision == "day":
                parts.append(ref.published_on.day)
            item["issued"] = {"date-parts": [parts]}
        for key, value in (
            ("DOI", ref.doi),
            ("URL", ref.url),
            ("language", ref.language),
            ("container-title", ref.container_title),
            ("publisher", ref.publisher),
            ("keyword", ", ".join(_one_line(k) for k in ref.keywords if _one_line(k))),
            ("license", ref.licence),
        ):
            if _one_line(value):
                item[key] = _one_line(value)
        if _multi_line(ref.summary):
            item["abstract"] = _multi_line(ref.summary)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- CSV

_CSV_MULTILINE: Final = frozenset({"summary", "declared_interests"})


def _read_csv(text: str, result: list[ParsedReference], rejected: list[Rejection]) -> None:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    header_line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                header = [cell.strip().lower() for cell in row]
                header_line = reader.line_num
                break
        seen: set[str] = set()
        for name in header:
            if name and name not in CSV_COLUMNS:
                raise _SyntaxProblem(
                    header_line, f"onbekende kolom '{_short(name)}' in de kopregel"
                )
            if name and name in seen:
                raise _SyntaxProblem(header_line, f"kolom '{name}' komt dubbel voor in de kopregel")
            seen.add(name)
        if "title" not in seen:
            raise _SyntaxProblem(header_line, "kolom 'title' ontbreekt in de kopregel", "title")
        line_num = reader.line_num
        for row in reader:
            start, line_num = line_num + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                raise _SyntaxProblem(
                    start, f"rij heeft meer cellen ({len(row)}) dan de kopregel ({len(header)})"
                )
            values = {
                name: _csv_unguard(cell) for name, cell in zip(header, row, strict=False) if name
            }
            _csv_record(start, values, result, rejected)
    except csv.Error as exc:
        reason = str(exc)
        if "field limit" in reason:
            message = "CSV-cel is te groot"
        elif "end of data" in reason or "EOF" in reason:
            message = "CSV-cel met een aanhalingsteken is niet afgesloten"
        else:
            message = "CSV-regel kon niet worden gelezen"
        raise _SyntaxProblem(max(reader.line_num, 1), message) from None


def _csv_record(
    line: int, values: dict[str, str], result: list[ParsedReference], rejected: list[Rejection]
) -> None:
    builder = _RecordBuilder(line)
    ref = builder.ref

    def get(name: str) -> str:
        raw = values.get(name, "")
        return _multi_line(raw) if name in _CSV_MULTILINE else _one_line(raw)

    ref.ref_key = get("ref")
    ref.title = get("title")
    ref.authors = _dedupe(_one_line(a) for a in get("authors").split(";"))
    ref.organisation = get("organisation")
    builder.set_date([("published_on", get("published_on"))])
    ref.doi = normalize_doi(get("doi"))
    ref.url = get("url")
    ref.language = get("language")
    ref.container_title = get("container_title")
    ref.publisher = get("publisher")
    ref.keywords = _dedupe(_one_line(k) for k in get("keywords").split(";"))
    ref.summary = get("summary")
    ref.licence = get("licence")
    ref.on_behalf_of = get("on_behalf_of")
    ref.declared_interests = get("declared_interests")
    checks: tuple[tuple[str, Sequence[str], str], ...] = (
        ("item_type", ITEM_TYPES, "onbekend itemtype"),
        ("knowledge_class", KNOWLEDGE_CLASSES, "onbekende kennisklasse"),
        ("certainty", CERTAINTIES, "onbekende zekerheid"),
    )
    for name, allowed, label in checks:
        value = get(name).lower()
        if value and value not in allowed:
            builder.reject(name, f"{label} '{_short(value)}'; toegestaan: {', '.join(allowed)}")
        elif value:
            setattr(ref, name, value)
    builder.finish(result, rejected)


def write_csv(refs: Iterable[ParsedReference]) -> str:
    """Write our own CSV layout (:data:`CSV_COLUMNS`, comma separated, header row).

    Carries every field of :class:`ParsedReference` except ``line``; authors and keywords
    are joined with "; " (so they must not contain ";"), dates are written as YYYY,
    YYYY-MM or YYYY-MM-DD according to ``date_precision``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for ref in refs:
        date = (
            _format_date(ref.published_on, ref.date_precision)
            if ref.published_on is not None
            else ""
        )
        row = {
            "ref": _one_line(ref.ref_key),
            "item_type": ref.item_type,
            "title": _one_line(ref.title),
            "authors": "; ".join(_one_line(a) for a in ref.authors if _one_line(a)),
            "organisation": _one_line(ref.organisation),
            "published_on": date,
            "doi": ref.doi,
            "url": _one_line(ref.url),
            "language": _one_line(ref.language),
            "container_title": _one_line(ref.container_title),
            "publisher": _one_line(ref.publisher),
            "keywords": "; ".join(_one_line(k) for k in ref.keywords if _one_line(k)),
            "summary": _multi_line(ref.summary),
            "licence": _one_line(ref.licence),
            "knowledge_class": ref.knowledge_class,
            "certainty": ref.certainty,
            "on_behalf_of": _one_line(ref.on_behalf_of),
            "declared_interests": _multi_line(ref.declared_interests),
        }
        writer.writerow([_csv_guard(row[name]) for name in CSV_COLUMNS])
    return buffer.getvalue()


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_guard(value: str) -> str:
    """Prefix a cell that a spreadsheet would read as a formula with ``'`` (OWASP advice)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_unguard(value: str) -> str:
    """Undo :func:`_csv_guard` when reading our own CSV back."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value
