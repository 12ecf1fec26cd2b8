"""Atomic file writes: a temporary file in the target folder, renamed over the target; per-run
temporary names; a lock that keeps two runs from writing one output folder at once.

Temporary files are named `.<target>.~<host>~<pid>~<random>.tmp`, so a clean-up removes only
those whose writer is gone (`remove_stale`), never another live run's."""

from __future__ import annotations

import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridplan.errors import InputError, Problem

# the process's umask, read once at import (reading it means setting it; doing that per write
# would briefly give files created by other threads the wrong mode)
_UMASK = os.umask(0)
os.umask(_UMASK)
_HOST = re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname()) or "host"
_OWNER = re.compile(r"~([^~]+)~(\d+)~[^~]*\.tmp$")
STALE_SECONDS = 24 * 3600  # a temporary file of another host older than this is abandoned
LOCK_FILE = ".gridplan.lock"


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write; on success sync it and rename it over
    `path`, on any error remove it: readers see the old file or the whole new one, never a part.
    The file gets an ordinary new file's mode (0666 minus the umask), not mkstemp's 0600."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.~{_HOST}~{os.getpid()}~", suffix=".tmp", dir=path.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        yield tmp
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to `path` atomically; returns the path."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Remove temporary files in `folder` left by writers that are gone: on this host, a process
    that no longer runs; elsewhere (or unnamed), files older than STALE_SECONDS. Returns them."""
    out = []
    for p in folder.glob(".*.tmp"):
        m = _OWNER.search(p.name)
        try:
            if m and m.group(1) == _HOST:
                stale = not _alive(int(m.group(2)))
            else:
                stale = time.time() - p.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if stale:
            p.unlink(missing_ok=True)
            out.append(p)
    return out


@contextmanager
def exclusive(folder: Path, what: str = "sweep") -> Iterator[None]:
    """Hold `<folder>/.gridplan.lock` for the block; if another run holds it, raise InputError
    (exit 2) at once: "another sweep is writing to <folder>". Without fcntl (Windows): no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise InputError(
                [
                    Problem(
                        str(folder),
                        "out",
                        message=(
                            f"another {what} is writing to {folder} ({holder}); wait for it to finish, or "
                            "choose another output folder"
                        ),
                    )
                ]
            ) from None
        try:
            f.seek(0)
            f.truncate()
            f.write(f"process {os.getpid()} on {_HOST} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            f.flush()
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
