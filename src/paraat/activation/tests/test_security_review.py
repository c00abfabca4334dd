"""Security review of activation (issue 7): the signal never names evidence more confidential
than its case, and far-off moments in the API are a 400, not a 500."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from rest_framework.test import APIClient

from paraat.accounts.models import Confidentiality
from paraat.activation import documents, services
from paraat.activation.models import ChecklistItem
from paraat.activation.tests import factories
from paraat.evidence.tests.factories import EvidenceItemFactory

BASE = "/api/v1/activation"


def _words(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.mark.parametrize(
    ("level", "named"),
    [
        (Confidentiality.PUBLIC, {"open-item"}),
        (Confidentiality.INTERNAL, {"open-item", "intern-item"}),
        (Confidentiality.CONFIDENTIAL, {"open-item", "intern-item", "geheim-item"}),
    ],
)
def test_signal_names_evidence_only_up_to_the_case_level(
    people: dict[str, Any], level: str, named: set[str]
) -> None:
    """An internal case is open to the committee and the SZW officer; a confidential evidence
    item cited by it is not, so its reference and title stay out of the signal's documents."""
    cpo = people["cpo"]
    case = factories.case_make(actor=cpo, confidentiality=level)
    items = [
        EvidenceItemFactory(
            ref="geheim-item", title="Geheime titel", confidentiality="confidential"
        ),
        EvidenceItemFactory(ref="intern-item", title="Interne titel", confidentiality="internal"),
        EvidenceItemFactory(ref="open-item", title="Open titel", confidentiality="public"),
    ]
    services.criterion_judge(
        case=case, criterion="scale", judgement="met", evidence=items, actor=cpo
    )
    signal = services.signal_create(case=case, actor=cpo)
    data = documents.signal_data(signal=signal)
    text = repr(data["sections"])
    for ref in ("geheim-item", "intern-item", "open-item"):
        assert (ref in text) == (ref in named)
    assert ("Geheime titel" in text) == ("geheim-item" in named)
    words = _words(documents.signal_document(signal=signal, fmt="docx")[1])
    assert ("geheim-item" in words) == ("geheim-item" in named)


@pytest.mark.parametrize("moment", ["0001-01-01", "0001-01-01T00:30:00", "not a date"])
def test_api_far_off_moments_are_a_400(people: dict[str, Any], moment: str) -> None:
    cpo = people["cpo"]
    case = factories.established(factories.case_make(actor=cpo), cpo=cpo, szw=people["szw"])
    api = APIClient()
    api.force_authenticate(people["szw"])
    other = factories.signalled(factories.case_make(actor=cpo, title="Tweede"), actor=cpo)
    response = api.post(
        f"{BASE}/cases/{other.pk}/decision/",
        {"decision": "establish", "decided_at": moment},
        format="json",
    )
    assert response.status_code == 400 and "decided_at" in response.json()
    item = services.checklist_item_add(case=case, title="Werkplekken (test)", actor=cpo)
    api.force_authenticate(cpo)
    response = api.post(
        f"{BASE}/cases/{case.pk}/checklist/{item.pk}/done/", {"done_at": moment}, format="json"
    )
    assert response.status_code == 400 and "done_at" in response.json()
    assert ChecklistItem.objects.get(pk=item.pk).done_at is None
