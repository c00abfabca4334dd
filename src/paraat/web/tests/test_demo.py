from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from paraat.accounts.models import User
from paraat.measures.models import Measure, Package, TimelineEvent
from paraat.measures.selectors import jurisdiction_netherlands, measures_in_force
from paraat.web.demo import DEMO_PEOPLE, demo_load

CHECK = Path(__file__).resolve().parents[2] / "measures" / "demo_data" / "check_nl_measures.py"


@pytest.mark.django_db
def test_demo_load_is_complete_and_idempotent(shared_data: Path) -> None:
    summary = demo_load(data_dir=shared_data)
    assert summary["users"] == len(DEMO_PEOPLE)
    assert User.objects.filter(is_fictional=True).count() == len(DEMO_PEOPLE)
    assert Measure.objects.count() == summary["measures"] >= 40
    # The advice demo adds its option packages (kind "option") after the catalogue's.
    assert Package.objects.exclude(kind="option").count() == summary["packages"] >= 25
    nl = jurisdiction_netherlands()
    assert nl is not None
    curfew_day = measures_in_force(user=AnonymousUser(), jurisdiction=nl, day=dt.date(2021, 2, 1))
    assert "C6" in {item.measure.oxcgrt_indicator for item in curfew_day.items}
    # The China assessment is built from catalog, library and societal picture, and analysed.
    from paraat.assessments.models import Assessment

    china = Assessment.objects.get(key="china-travel-2023")
    masks = china.options.get(key="masks")
    assert masks.measures.filter(key="masks-flights-eu-china").exists()
    assert masks.support_indicator is not None and 0 <= masks.support <= 1
    assert "Benadering" in masks.acceptability_source
    assert china.versions.count() == 1
    events = TimelineEvent.objects.count()
    demo_load(data_dir=shared_data)  # a second run adds nothing
    assert Measure.objects.count() == summary["measures"]
    assert TimelineEvent.objects.count() == events


def test_demo_catalog_follows_the_published_stringency_index(shared_data: Path) -> None:
    """The catalog's packages reproduce OxCGRT's NL stringency index closely (mean |Δ| < 5)."""
    series = shared_data / "oxcgrt" / "OxCGRT_timeseries_StringencyIndex_v1_selection.csv"
    result = subprocess.run(
        [sys.executable, str(CHECK), "--oxcgrt", str(series), "--max-mad", "5"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


KNOWLEDGE_CHECK = (
    Path(__file__).resolve().parents[2] / "evidence" / "demo_data" / "check_knowledge.py"
)


def test_demo_knowledge_content_passes_its_checker() -> None:
    """Real references only from the seeds, everything else marked synthetic, ≥ 14 fiches."""
    result = subprocess.run(
        [sys.executable, str(KNOWLEDGE_CHECK)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.django_db
def test_demo_knowledge_library_is_loaded_and_labelled(shared_data: Path) -> None:
    from paraat.evidence.models import EvidenceItem, Fiche, KnowledgeDossier

    demo_load(data_dir=shared_data)
    assert Fiche.objects.count() >= 12
    assert KnowledgeDossier.objects.count() == 3
    synthetic = EvidenceItem.objects.filter(is_synthetic=True)
    assert synthetic.exists()
    assert all(
        title.endswith("(synthetisch)") for title in synthetic.values_list("title", flat=True)
    )
    assert EvidenceItem.objects.filter(is_synthetic=False).count() >= 12
    assert all(f.is_synthetic for f in Fiche.objects.all())
    items = EvidenceItem.objects.count()
    demo_load(data_dir=shared_data)  # a second run adds nothing
    assert EvidenceItem.objects.count() == items
