"""Settings for the engine verbs: files in, files out; no database, secret key or keyring.

The ``safepath`` console script picks these for a command line that a command declares as an
engine verb (``engine_verbs``; see ``safepath/core/engine_verbs.py``), so that a bank's
compliance team or an analyst can run ``safepath finance screen`` or ``safepath link dedupe``
on a laptop with nothing configured. The settings are the full ones in mode ``engine``:
same apps (so every command loads), a database backend that refuses every use, a throw-away
secret key, no keyring, and nothing written to the data directory. Settings that shape an
engine's result (``SAFEPATH_SCREENING_CHILD_RULE``, ``SAFEPATH_LINKAGE_BACKEND``) are still read.
"""

import os

os.environ["SAFEPATH_MODE"] = "engine"

from safepath.config.settings import *  # noqa: F403
