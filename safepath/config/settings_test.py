"""Settings for the test suite: hermetic, fast, and on PostgreSQL when asked.

``SAFEPATH_TEST_DATABASE_URL`` switches the whole suite to PostgreSQL (make test does both).
"""

import os
import tempfile

_data_dir = tempfile.mkdtemp(prefix="safepath-test-")
os.environ["SAFEPATH_MODE"] = "test"
os.environ["SAFEPATH_DATA_DIR"] = _data_dir
os.environ["SAFEPATH_SECRET_KEY"] = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
os.environ.pop("SAFEPATH_KEYRING", None)
os.environ.pop("SAFEPATH_KEYRING_FILE", None)
if os.environ.get("SAFEPATH_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["SAFEPATH_TEST_DATABASE_URL"]
else:
    os.environ.pop("DATABASE_URL", None)

from safepath.config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
MFA_RELAXED = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}  # noqa: F405
# Django empties tables between transactional tests with TRUNCATE; the append-only tables refuse
# it unless the session allows it (core/migration_ops.refuse_truncate). Only test databases do.
if DATABASES["default"].get("ENGINE", "").endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c safepath.allow_truncate=on"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is absent
