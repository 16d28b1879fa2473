"""The ``safepath`` console script: Django's management commands under one name.

Before Django starts, the script decides which settings the command line needs:

* an **engine verb** (declared by its command's ``engine_verbs``; see
  ``safepath/core/engine_verbs.py``) runs with ``safepath.config.settings_engine``: no
  database, no secret key, no keyring, nothing to configure;
* everything else runs with the full settings (``safepath.config.settings``), which ask for
  what a deployment needs; when something is missing, the script says which command needed it
  and what to set, in one message, and exits with code 2.

``DJANGO_SETTINGS_MODULE``, when set, is always obeyed (the tests set it).
"""

import os
import sys

from safepath.core import engine_verbs

FULL_SETTINGS = "safepath.config.settings"
ENGINE_SETTINGS = "safepath.config.settings_engine"
EXIT_NOT_CONFIGURED = 2


def settings_module(argv: list[str]) -> str:
    """The settings for ``safepath ARGV...`` (``argv`` without the program name)."""
    return ENGINE_SETTINGS if engine_verbs.is_engine_invocation(argv) else FULL_SETTINGS


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module(sys.argv[1:]))
    from django.core.management import execute_from_command_line

    from safepath.config.env import MissingSettingError

    try:
        execute_from_command_line(sys.argv)
    except MissingSettingError as error:
        what = " ".join(sys.argv[1:3]) or "this command"
        sys.stderr.write(
            f"safepath {what} works on SafePath's database and keys, so it needs the "
            f"deployment's settings.\n{error}\n"
        )
        sys.exit(EXIT_NOT_CONFIGURED)


if __name__ == "__main__":
    main()
