"""The assessment framework's engine: the ``paraat-assessment/1`` file and its analysis.

``load`` / ``load_file`` check an assessment file (JSON Schema + semantic rules) and return an
``Assessment``; ``analyse`` computes the ``paraat-assessment-result/1`` result (explicit
ranking with its explanation and sensitivity, SMAA-2, dominance, ladder and robustness,
matrix, distribution, stacking, rights, value lenses, evidence-to-decision).  Formulas:
``docs/methodology/assessment.md``.  Pure Python + numpy; never imports Django.
"""

from paraat_core.assessment.analysis import RESULT_SCHEMA_ID, analyse
from paraat_core.assessment.model import (
    SCHEMA_ID,
    Assessment,
    AssessmentError,
    Problem,
    check,
    load,
    load_file,
    loads,
    schema,
)

__all__ = [
    "RESULT_SCHEMA_ID",
    "SCHEMA_ID",
    "Assessment",
    "AssessmentError",
    "Problem",
    "analyse",
    "check",
    "load",
    "load_file",
    "loads",
    "schema",
]
