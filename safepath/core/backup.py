"""``safepath backup`` and ``safepath restore``: the database, the data folders apps register
(the sealed document files), and a manifest with the SHA-256 of every file.

A backup is a folder::

    manifest.json              what it holds, when, from which schema, under which key ids
    database/safepath.sqlite3  SQLite: a consistent copy made with SQLite's backup API
    database/safepath.dump     PostgreSQL: pg_dump --format=custom
    documents/...              each registered data folder, file by file

The database is copied first and the folders after, so every row's file is in the backup (a
file uploaded meanwhile is there without its row, and is unreadable and harmless). The keys
are not in it: the keyring is backed up on its own (``--include-keyring`` puts it in, for an
operator who asks). Restore checks every hash before it writes anything, refuses a data folder
or database that is not empty unless forced, and the command then checks the audit chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "safepath-backup-1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database/safepath.sqlite3"
PG_FILE = "database/safepath.dump"
KEYRING_COPY = "keyring/keyring.json"
CHUNK = 1 << 20

_folders: list[str] = []
# Other secret files an app keeps beside the keyring (setting name -> name in the backup's
# keyring/ folder): copied only with --include-keyring, like the keyring itself.
_key_files: dict[str, str] = {}


class BackupError(RuntimeError):
    """Bad input (exit 2): a destination in use, a damaged backup, a target not empty, ..."""


def register_folder(name: str) -> None:
    """An app's ``ready()`` names a folder under the data directory that backups must hold."""
    if name not in _folders:
        _folders.append(name)


def data_folders() -> list[str]:
    return list(_folders)


def register_key_file(setting: str, name: str) -> None:
    """An app's ``ready()`` names a setting holding the path of a key file of its own (the
    exchange's instance keys) that ``--include-keyring`` must copy too."""
    _key_files[setting] = name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path


# --- the database ------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (the password never on a command line)."""
    db = connection.settings_dict
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db.get("NAME") or "",
        "PGSSLMODE": str(db.get("OPTIONS", {}).get("sslmode", "")),
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed on this machine; SafePath needs it to back up and restore "
            f"PostgreSQL (Debian: apt-get install postgresql-client, of the server's major "
            "version or newer)."
        )
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(  # noqa: S603 - fixed PostgreSQL client tools, no shell
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(dest: Path) -> str:
    if connection.vendor == "sqlite":
        target = dest / SQLITE_FILE
        target.parent.mkdir(parents=True)
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # a consistent snapshot, even while in use
        finally:
            copy.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        target = dest / PG_FILE
        target.parent.mkdir(parents=True)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"])
        return PG_FILE
    raise BackupError(f"backups of a {connection.vendor} database are not supported")


def _database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def _restore_database(src: Path, manifest: dict[str, Any], *, force: bool) -> None:
    file = manifest["database"]["file"]
    if connection.vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        connections.close_all()
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(src / file, staged)
        for stale in (
            target.with_name(target.name + "-wal"),
            target.with_name(target.name + "-shm"),
        ):
            stale.unlink(missing_ok=True)
        staged.replace(target)
        return
    command = [_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error"]
    if force:
        command += ["--clean", "--if-exists"]
    connections.close_all()
    _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(src / file)])


# --- schema and keys ---------------------------------------------------------------------------


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations the backup has and this code does not: it was made by a newer SafePath."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


# --- backup ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    manifest: dict[str, Any]
    manifest_sha256: str


def check_destination(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest}: exists and is not an empty folder; choose a new one")


def create(
    dest: Path,
    *,
    keys: dict[str, Any],
    audit_head: str | None = None,
    include_keyring: bool = False,
) -> BackupResult:
    """Write a backup into ``dest`` (absent or an empty folder). ``keys`` is what the manifest
    says about key ids in use (never key material); ``audit_head`` the chain's SEQ:HASH."""
    check_destination(dest)
    made = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        database_file = _dump_database(dest)  # first: every row's file is copied after it
        data_dir = Path(settings.DATA_DIR)
        for name in data_folders():
            source = data_dir / name
            if source.is_dir():
                shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("*.tmp"))
        if include_keyring:
            if settings.KEYRING_FILE is None:
                raise BackupError("--include-keyring needs SAFEPATH_KEYRING_FILE")
            (dest / KEYRING_COPY).parent.mkdir()
            shutil.copy2(settings.KEYRING_FILE, dest / KEYRING_COPY)
            for setting, name in sorted(_key_files.items()):
                path = getattr(settings, setting, None)
                if path is not None and Path(path).is_file():
                    shutil.copy2(path, dest / KEYRING_COPY.rsplit("/", 1)[0] / name)
        files = {
            path.relative_to(dest).as_posix(): {
                "sha256": sha256_of(path),
                "size": path.stat().st_size,
            }
            for path in _files_under(dest)
        }
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "file": database_file},
            "folders": data_folders(),
            "migrations": applied_migrations(),
            "keys": keys,
            "audit_head": audit_head,
            "keyring_included": include_keyring,
            "files": files,
        }
        text = json.dumps(manifest, indent=2, sort_keys=True)
        (dest / MANIFEST).write_text(text, encoding="utf-8")
    except BaseException:
        if made:
            shutil.rmtree(dest, ignore_errors=True)
        raise
    return BackupResult(manifest, hashlib.sha256(text.encode("utf-8")).hexdigest())


# --- restore -----------------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src}: no {MANIFEST}; not a SafePath backup") from None
    except ValueError as error:
        raise BackupError(f"{src / MANIFEST}: not JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST}: not a {FORMAT} manifest")
    return manifest


def verify(src: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is there with its size and SHA-256, and no file
    is there that it does not list; else a BackupError naming the files."""
    manifest = read_manifest(src)
    problems: list[str] = []
    listed: dict[str, dict[str, Any]] = manifest["files"]
    for name, expected in sorted(listed.items()):
        path = src / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            problems.append(f"{name}: SHA-256 does not match the manifest")
    for path in _files_under(src):
        name = path.relative_to(src).as_posix()
        if name != MANIFEST and name not in listed:
            problems.append(f"{name}: not in the manifest")
    if manifest["database"]["file"] not in listed:
        problems.append(f"{manifest['database']['file']}: the database is not in the manifest")
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BackupError(f"{src}: the backup is damaged; nothing was restored.\n{shown}{more}")
    return manifest


def target_contents() -> list[str]:
    """What is already in the target: the database (if migrated) and non-empty data folders."""
    found = [] if _database_is_empty() else ["the database"]
    data_dir = Path(settings.DATA_DIR)
    for name in data_folders():
        folder = data_dir / name
        if folder.is_dir() and any(_files_under(folder)):
            found.append(str(folder))
    return found


def restore(src: Path, *, force: bool = False) -> dict[str, Any]:
    """Check the backup, then put its database and folders in place of the target's."""
    manifest = verify(src)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"the backup holds a {vendor} database and this SafePath uses {connection.vendor}; "
            "restore it into the same kind of database"
        )
    unknown = unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "the backup was made by a newer SafePath (unknown migrations: "
            + ", ".join(unknown[:5])
            + "); install that version first"
        )
    present = target_contents()
    if present and not force:
        raise BackupError(
            "the target is not empty (" + "; ".join(present) + "); restore into a fresh data "
            "folder and database, or pass --force to replace what is there"
        )
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    for name in manifest["folders"]:
        incoming = data_dir / f"{name}.restoring"
        incoming.parent.mkdir(
            parents=True, exist_ok=True
        )  # a folder may be nested (finance/uploads)
        shutil.rmtree(incoming, ignore_errors=True)
        if (src / name).is_dir():
            shutil.copytree(src / name, incoming)
        else:
            incoming.mkdir()
        staged.append((incoming, data_dir / name))
    try:
        _restore_database(src, manifest, force=force)
    except BaseException:
        for incoming, _ in staged:
            shutil.rmtree(incoming, ignore_errors=True)
        raise
    for incoming, final in staged:
        if final.exists():
            shutil.rmtree(final)
        incoming.replace(final)
    return manifest
