"""Settings for the test suite: the normal settings with fast, isolated parts."""

import os
import tempfile

os.environ.setdefault("PARAAT_SECRET_KEY", "test-only-secret-key-not-for-production")
if "PARAAT_DATA_DIR" not in os.environ:  # subprocesses of a test run share the parent's
    os.environ["PARAAT_DATA_DIR"] = tempfile.mkdtemp(prefix="paraat-test-")

from paraat.conf.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []  # noqa: F405
LANGUAGE_CODE = "nl"
WHITENOISE_AUTOREFRESH = True
PARAAT_REQUIRE_2FA = False  # the suite logs in without codes; 2FA tests switch it on
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
