"""Models of paraat.activation (issue 7)."""

from django.db import models  # noqa: F401
