"""The ``safepath`` console script: Django's management commands under one name."""

import os
import sys
from pathlib import Path


def _keys_init(argv: list[str]) -> int:
    """`safepath keys init PATH` runs before a deployment has secrets, so without Django."""
    from safepath.core.keyring import INIT_DONE, KeyringError, create_file

    if len(argv) != 1 or argv[0].startswith("-"):
        sys.stderr.write("usage: safepath keys init PATH\n")
        return 2
    try:
        create_file(Path(argv[0]))
    except KeyringError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    sys.stdout.write(INIT_DONE.format(path=argv[0]) + "\n")
    return 0


def main() -> None:
    if sys.argv[1:3] == ["keys", "init"]:
        sys.exit(_keys_init(sys.argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepath.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
