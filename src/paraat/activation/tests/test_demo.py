"""The activation demo: synthetic agreements with four ministries, one case awaiting the
minister's decision and one closed; a second load adds nothing; the mode is left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paraat.accounts.selectors import user_get
from paraat.accounts.services import roles_sync
from paraat.activation import selectors
from paraat.activation.demo import CLOSED_TITLE, OPEN_TITLE, activation_demo_load
from paraat.activation.models import ActivationCase, SecondmentAgreement
from paraat.preparedness.models import ModeChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def prerequisites(settings: Any, tmp_path: Path) -> None:
    """What ``paraat demo`` loads before activation: the accounts and the network."""
    from paraat.network.demo import network_demo_load
    from paraat.taxonomies.services import taxonomy_seed
    from paraat.web.demo import demo_users_create

    settings.MEDIA_ROOT = tmp_path
    roles_sync()
    demo_users_create()
    taxonomy_seed()
    network_demo_load()


def test_demo_loads_agreements_and_synthetic_cases(prerequisites: None) -> None:
    modes_before = ModeChange.objects.count()
    summary = activation_demo_load()
    assert summary == {"agreements": 4, "cases": 2, "open": 1}
    agreements = SecondmentAgreement.objects.select_related("ministry")
    assert sorted(a.ministry.abbreviation for a in agreements) == ["BZK", "OCW", "SZW", "VWS"]
    assert all(a.is_synthetic and a.ministry.kind == "ministry" for a in agreements)
    assert all(not a.ministry.is_synthetic for a in agreements)  # real ministries

    cpo = user_get(username="cpo")
    assert cpo is not None
    open_case = ActivationCase.objects.get(title=OPEN_TITLE)
    closed_case = ActivationCase.objects.get(title=CLOSED_TITLE)
    assert open_case.is_synthetic and closed_case.is_synthetic
    assert selectors.status_of(open_case) == "signalled"
    assert selectors.status_of(closed_case) == "closed"
    signal = selectors.signal_sent(case=open_case)
    assert signal is not None and signal.pdf and signal.docx
    # The SZW demo account can now record the decision.
    szw = user_get(username="szw")
    assert szw is not None and selectors.may(user=szw, action="decide")
    assert ModeChange.objects.count() == modes_before  # the mode is left alone

    assert activation_demo_load() == {"agreements": 0, "cases": 0, "open": 1}
    assert SecondmentAgreement.objects.count() == 4 and ActivationCase.objects.count() == 2


def test_demo_without_accounts_does_nothing(db: Any) -> None:
    assert activation_demo_load() == {"agreements": 0, "cases": 0}
