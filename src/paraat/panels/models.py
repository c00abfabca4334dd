"""Models of paraat.panels (issue 7)."""

from django.db import models  # noqa: F401
