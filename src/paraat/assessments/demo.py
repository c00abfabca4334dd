"""Demo assessments: the January 2023 question on travellers from China (from the evaluation of
the MIT; values the source does not give are marked synthetic in the file) and a synthetic
school-closure example, imported from ``examples/assessments/`` and analysed once each.

Loaded by ``paraat demo`` as the fictional demo people (the CPO secretariat imports, the analyst
runs the analysis). Idempotent: an assessment that already exists is left alone.

Every measure and evidence item the examples refer to is in the demo catalog
(``measures/demo_data/nl_measures.json``) and the demo knowledge library
(``evidence/demo_data/knowledge.json``), so the examples import without creating library items;
load those first (``paraat demo`` does).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from paraat.accounts.models import Confidentiality, User
from paraat.assessments import services
from paraat.assessments.models import Assessment

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples" / "assessments"
#: (file, confidentiality): the China example rests on published sources; the synthetic one is
#: internal (its confidential effectiveness record stays confidential either way).
DEMO_FILES = (
    ("china-travel-2023.json", Confidentiality.PUBLIC),
    ("school-closure-synthetic.json", Confidentiality.INTERNAL),
)
#: Acceptability taken from the societal picture in the demo: (assessment, option, indicator,
#: source note). The indicator is a proxy, and the note says so.
DEMO_SUPPORT = (
    (
        "china-travel-2023",
        "masks",
        "rivm-support-masks",
        "Benadering uit het maatschappelijk beeld: draagvlak voor een mondkapje in het algemeen "
        "(RIVM-gedragsonderzoek, laatste meting), niet specifiek voor vluchten uit China.",
    ),
)
DEMO_SAMPLES = 2_000
DEMO_SEED = 2023


@transaction.atomic
def assessments_demo_load(
    *, examples_dir: Path = EXAMPLES_DIR, samples: int = DEMO_SAMPLES
) -> dict[str, int]:
    """Seed the rights data, import the example assessments and analyse each once."""
    summary = {"rights": services.rights_seed(), "assessments": 0, "versions": 0}
    importer = User.objects.filter(username="cpo").first()
    analyst = User.objects.filter(username="analist").first() or importer
    for name, confidentiality in DEMO_FILES:
        path = examples_dir / name
        if not path.exists():
            continue
        key = json.loads(path.read_text(encoding="utf-8")).get("id", "")
        if Assessment.objects.filter(key=key).exists():
            continue
        assessment = services.assessment_import_file(
            actor=importer,
            path=path,
            confidentiality=confidentiality,
        )
        summary["assessments"] += 1
        _support_from_indicators(actor=importer, assessment=assessment)
        services.assessment_analyse(
            actor=analyst,
            assessment=assessment,
            samples=samples,
            seed=DEMO_SEED,
            note="Demo-analyse",
        )
        summary["versions"] += 1
    return summary


def _support_from_indicators(*, actor: User | None, assessment: Assessment) -> None:
    """Fill the demo options' support from the societal picture (when its indicator is loaded)."""
    for key, option_key, indicator_key, note in DEMO_SUPPORT:
        option = assessment.options.filter(key=option_key).first()
        if key != assessment.key or option is None:
            continue
        try:
            with transaction.atomic():
                services.option_update(
                    actor=actor,
                    option=option,
                    support_indicator_key=indicator_key,
                    acceptability_source=note,
                )
        except ValidationError:
            continue  # the societal picture is not loaded (or has no figure yet)
