"""Models of paraat.exercises (issue 7)."""

from django.db import models  # noqa: F401
