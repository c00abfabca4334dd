"""Walking decoded JSON data without recursion (hostile nesting cannot raise RecursionError).

One walker serves the API's parser (lone surrogates, NUL characters in free-form JSON fields)
and the services that take whole JSON documents (an assessment file): each asks where the first
string — a value or an object's key — fails a test, as a path such as ``options[2].title``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROOT = "document"


def json_string_path(data: Any, test: Callable[[str], bool]) -> str | None:
    """The path of a string in ``data`` for which ``test`` holds (a key is named by its
    object's path plus `` (key)``), or None when there is none."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if test(value):
                return path or ROOT
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and test(key):
                    return (path or ROOT) + " (key)"
                stack.append((item, f"{path}.{key}" if path else str(key)))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
    return None


def has_nul(text: str) -> bool:
    """PostgreSQL stores a NUL character neither in text nor in ``jsonb``."""
    return "\x00" in text
