"""Models of paraat.preparedness (issue 7)."""

from django.db import models  # noqa: F401
