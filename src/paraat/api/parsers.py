"""Request parsers of the API: DRF's JSON parser, made safe against hostile nesting.

Python's JSON decoder recurses once per nested array or object, so a body such as
``"[" * 5000 + "]" * 5000`` raises ``RecursionError`` inside the parser (a 500 on every
endpoint), and a body just below that limit still reaches code that walks the data
recursively. ``SafeJSONParser`` turns both into a 400: a body that cannot be decoded, and one
nested deeper than ``MAX_DEPTH``. So is a body with a lone surrogate (``"\\ud800"``, valid
JSON): such a string cannot be stored or even rendered back as UTF-8 (it would end in a 500).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from paraat.jsonwalk import has_nul, json_string_path

#: The deepest nesting of arrays and objects a request body may have. An assessment file is
#: about six levels deep; this leaves ample room without letting anything recurse far.
MAX_DEPTH = 64


def _too_deep() -> str:
    return _("JSON-fout: te diep genest (hoogstens %(n)s niveaus).") % {"n": MAX_DEPTH}


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def json_has_lone_surrogate(data: Any) -> bool:
    """Whether a string (value or key) in ``data`` holds a lone surrogate (iterative)."""
    return json_string_path(data, _has_surrogate) is not None


def json_has_nul(data: Any) -> bool:
    """Whether a string (value or key) in ``data`` holds a NUL character (iterative). PostgreSQL
    stores NUL neither in text nor in ``jsonb``: a free-form JSON field must refuse it (a 400),
    or the write ends in a ``DataError`` (a 500). DRF's ``CharField`` already refuses it."""
    return json_string_path(data, has_nul) is not None


def json_depth_exceeds(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``data`` nests arrays/objects deeper than ``limit`` (iterative, no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class SafeJSONParser(JSONParser):
    """DRF's ``JSONParser``; too deep or undecodable JSON, or a string with a lone surrogate,
    is a ``ParseError`` (400)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type=media_type, parser_context=parser_context)
        except RecursionError as exc:
            raise ParseError(_too_deep()) from exc
        except (ValueError, UnicodeError) as exc:
            raise ParseError(_("JSON-fout: %(m)s") % {"m": exc}) from exc
        if json_depth_exceeds(data):
            raise ParseError(_too_deep())
        if json_has_lone_surrogate(data):
            raise ParseError(_("JSON-fout: ongeldige tekens (losse surrogaten)."))
        return data
