"""The API's JSON parser: hostile nesting and undecodable bodies are a ParseError (400)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError

from paraat.api.parsers import MAX_DEPTH, SafeJSONParser, json_depth_exceeds


def _parse(body: str):
    return SafeJSONParser().parse(io.BytesIO(body.encode("utf-8")))


def test_it_is_the_default_json_parser() -> None:
    parsers = settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]
    assert parsers[0] == "paraat.api.parsers.SafeJSONParser"


@pytest.mark.parametrize(
    "body",
    [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * 100_000,
        "{nope",
        "NaN",
        '{"x": Infinity}',
    ],
)
def test_bad_bodies_are_a_parse_error(body: str) -> None:
    with pytest.raises(ParseError):
        _parse(body)


def test_ordinary_json_is_parsed() -> None:
    assert _parse('{"a": [1, {"b": [true, null]}]}') == {"a": [1, {"b": [True, None]}]}
    depth = MAX_DEPTH
    assert _parse("[" * depth + "]" * depth) is not None


def test_depth_is_counted_without_recursion() -> None:
    deep: list = []
    for _ in range(50_000):
        deep = [deep]
    assert json_depth_exceeds(deep)
    assert not json_depth_exceeds({"a": [1, 2, {"b": "c"}]}, limit=3)
    assert json_depth_exceeds({"a": [1, 2, {"b": []}]}, limit=3)
    assert not json_depth_exceeds("text") and not json_depth_exceeds(5)


@given(
    st.recursive(
        st.none() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_the_parser_never_raises_anything_but_parse_error(value) -> None:
    import json

    try:
        assert _parse(json.dumps(value)) == value
    except ParseError:
        assert json_depth_exceeds(value)
