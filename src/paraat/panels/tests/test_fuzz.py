"""Fuzzing the answer parser and the ballot parser: any input is either accepted as a valid
answer or refused with field errors (a ValidationError), never anything else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat.panels import services
from paraat.panels.models import Question, QuestionKind

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.sampled_from(["1", "2", "3", "4", "5", "Leren", "Werk", " 3 ", "\x00", ""]),
)
_VALUES = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=3), _SCALARS, max_size=2),
)


def _questions() -> list[Question]:
    return [
        Question(pk=1, kind=QuestionKind.LIKERT, text="L", required=True),
        Question(pk=2, kind=QuestionKind.CHOICE, text="C", choices=["Leren", "Werk"]),
        Question(pk=3, kind=QuestionKind.OPEN, text="O"),
    ]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(["q1", "q2", "q3", "q9", "x"]), _VALUES, max_size=5))
def test_answers_parse_accepts_or_refuses_by_field(data: dict[str, Any]) -> None:
    questions = _questions()
    try:
        parsed = services.answers_parse(questions=questions, data=data)
    except ValidationError as exc:
        assert hasattr(exc, "error_dict")
        assert set(exc.message_dict) <= {"q1", "q2", "q3", "answers"}
        return
    by_id = {a.question.pk: a for a in parsed}
    assert by_id[1].likert in {1, 2, 3, 4, 5}
    if 2 in by_id:
        assert by_id[2].choice in {"Leren", "Werk"}
    if 3 in by_id:
        assert 0 < len(by_id[3].text) <= services.MAX_TEXT and "\x00" not in by_id[3].text


@pytest.mark.django_db
@settings(
    max_examples=80,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(
    data=st.dictionaries(
        st.sampled_from(["ranking", "rank_a", "rank_b", "rank_c", "option"]), _VALUES, max_size=4
    )
)
def test_ballot_parse_accepts_or_refuses_by_field(data: dict[str, Any]) -> None:
    from unittest import mock

    session = mock.Mock(kind="rank_domains")
    with mock.patch.object(services, "session_items", return_value=["a", "b", "c"]):
        try:
            ballot = services.ballot_parse(session=session, data=data)
        except ValidationError as exc:
            assert set(exc.message_dict) <= {"ranking", "rank_a", "rank_b", "rank_c"}
            return
    assert sorted(ballot.ranking) == ["a", "b", "c"]


_FORM_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["1", "3", "5", "9", "Leren", "Werk", "", "\x00"]),
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(data=st.dictionaries(st.sampled_from(["a", "b", "c", "zz"]), _FORM_VALUES, max_size=4))
def test_answer_page_never_fails(data: dict[str, str]) -> None:
    """Random form posts to the token page: an answer (200) or field errors (400), never a 500."""
    import datetime as dt

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from paraat.panels.models import Panel
    from paraat.panels.tests.factories import panel_make, questionnaire_make, tokens_for

    panel = Panel.objects.first() or panel_make(panelists=0)
    q = panel.questionnaires.first() or questionnaire_make(panel=panel)
    today = timezone.localdate()
    services.panelist_add(
        panel=panel,
        data=services.PanelistData(
            consent_on=today, consent_text="Ja", retention_until=today + dt.timedelta(days=1)
        ),
        actor=None,
    )
    ((_p, token),) = tokens_for(q)
    questions = list(q.questions.order_by("position"))
    names = dict(zip(["a", "b", "c"], [services.field_name(x) for x in questions], strict=True))
    post = {names.get(k, k): v for k, v in data.items()}
    response = Client().post(reverse("panels:answer", args=[token]), post)
    assert response.status_code in (200, 400)
