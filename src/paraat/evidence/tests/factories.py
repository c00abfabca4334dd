"""Factories for the knowledge library. Items are created through the service, so the search
index (SQLite FTS5) is kept current exactly as in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from paraat.accounts.models import Confidentiality
from paraat.evidence import services
from paraat.evidence.models import EvidenceItem, Fiche


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    item_type = "report"
    title = factory.Sequence(lambda n: f"Onderzoeksrapport nummer {n} over maatregelen")
    knowledge_class = "scientific"
    summary = "Een samenvatting over de gevolgen van maatregelen."
    published_on = dt.date(2021, 3, 1)
    confidentiality = Confidentiality.PUBLIC
    certainty = "moderate"
    is_synthetic = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> EvidenceItem:
        submitted_by = kwargs.pop("submitted_by", None)
        ref = kwargs.pop("ref", "")
        for name in ("authors", "keywords", "certainty_downgrades", "certainty_upgrades"):
            if name in kwargs:
                kwargs[name] = tuple(kwargs[name])
        return services.evidence_create(
            data=services.EvidenceData(**kwargs), submitted_by=submitted_by, ref=ref
        )


def fiche_create(
    measure: Any, *, cells: tuple[services.CellData, ...] = (), **kwargs: Any
) -> Fiche:
    """A fiche with one version holding ``cells``."""
    return services.fiche_create(
        measure=measure,
        reviewer=kwargs.pop("reviewer", None),
        user=kwargs.pop("user", None),
        confidentiality=kwargs.pop("confidentiality", Confidentiality.PUBLIC),
        content=services.FicheContent(cells=cells, **kwargs),
    )
