"""Models of paraat.network (issue 7)."""

from django.db import models  # noqa: F401
