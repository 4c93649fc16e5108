"""Private files and directories: what the monitor keeps is readable by its own user only.

The ledger holds incident timelines, delivery records and the ack-link key material; reports
and spools hold what people wrote. `data_dir` is 0700 and the database files 0600, whatever
the umask the service was started with (a systemd unit sets UMask=0077 as well).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Final

DIR_MODE: Final = 0o700
FILE_MODE: Final = 0o600
# SQLite's companions of a database file (it gives them the database file's mode).
SQLITE_SUFFIXES: Final = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> None:
    """Make `path` (and its parents) and give `path` mode 0700. A directory owned by someone
    else (a shared parent) is left as it is: changing it would fail or surprise."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if path.stat().st_uid == os.geteuid() and path.stat().st_mode & 0o777 != DIR_MODE:
        os.chmod(path, DIR_MODE)


def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist; else set its mode to 0600.
    Before SQLite opens a database: it creates the WAL and shared-memory files with the
    database file's mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path)
    else:
        os.close(fd)


def tighten(path: Path) -> None:
    """Mode 0600 for an existing file of ours (and its SQLite companions)."""
    for candidate in (path, *(path.with_name(path.name + s) for s in SQLITE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if candidate.stat().st_mode & 0o777 != FILE_MODE:
                os.chmod(candidate, FILE_MODE)
