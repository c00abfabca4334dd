"""The JSON walker shared by the API's parser and the document-taking services."""

from __future__ import annotations

import pytest

from paraat.jsonwalk import has_nul, json_string_path


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ("a\x00", "document"),
        ({"title": "ok", "options": [{"t": "x"}, {"t": "\x00"}]}, "options[1].t"),
        ({"w": {"a\x00": 1}}, "w (key)"),
        ({"\x00": 1}, "document (key)"),
        ({"a": [1, 2.5, None, True, "fine"]}, None),
    ],
)
def test_the_path_of_the_first_failing_string(data: object, path: str | None) -> None:
    assert json_string_path(data, has_nul) == path


def test_deep_nesting_does_not_recurse() -> None:
    data: object = "\x00"
    for _ in range(20_000):
        data = [data]
    assert json_string_path(data, has_nul) == "[0]" * 20_000
