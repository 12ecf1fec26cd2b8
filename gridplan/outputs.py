"""Where results go, checked before anything is solved, and failures while writing them.

- Names that decide an output folder (a scenario's `name` -> results/<name>, a sweep's `name` ->
  results/sweeps/<name>) must be one plain folder name: no path separators, not '.' or '..', no
  control characters, not absolute, at most MAX_NAME characters. A bad `name` is rejected
  (exit 2), never sanitised: results must not land somewhere other than where the user looks.
  A name taken from the case's folder or file name is made safe instead (see `safe_name`).
- `check_output(folder)` runs before the solve: the folder (or its nearest existing parent) must
  be a folder, writable, and the path within the file system's limits; else InputError (exit 2),
  nothing solved, nothing written.
- `writing(what, path)` turns an OSError while writing (disk full, permissions changed during the
  run) into OutputError (exit 7) naming the file; atomic writes (gridplan/atomic.py) leave every
  earlier file as it was.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gridplan.errors import GridplanError, InputError, Problem

MAX_NAME = 120
_BAD = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class OutputError(GridplanError):
    """A result file could not be written; files written before (and earlier results) are kept."""

    exit_code = 7


def name_problem(name: str, limit: int = MAX_NAME) -> str | None:
    """Why `name` cannot be an output folder name of at most `limit` characters (None: it can)."""
    if not name.strip():
        return "an empty name; expected a folder name such as 'jiangxi_2030'"
    if name in (".", "..") or name.startswith(".") or _BAD.search(name):
        return (
            f"found {name!r}; expected a plain folder name (no '/', '\\', '..', leading '.', control "
            'characters or any of :*?"<>|): results go to results/<name>'
        )
    if len(name) > limit:
        return f"a name of {len(name)} characters; expected at most {limit}"
    return None


def safe_name(name: str) -> str:
    """A folder name taken from a file or folder name: unsafe characters become '_'."""
    out = _BAD.sub("_", name).strip().lstrip(".")[:MAX_NAME]
    return out or "case"


def _exists(p: Path) -> bool:
    try:
        return p.exists()
    except OSError:  # e.g. a name too long to look up
        return False


def _limits(folder: Path) -> tuple[int, int]:
    """(longest name, longest path) the file system holding `folder` allows."""
    probe = folder
    while not _exists(probe) and probe != probe.parent:
        probe = probe.parent
    try:
        return os.pathconf(probe, "PC_NAME_MAX"), os.pathconf(probe, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):
        return 255, 4096


def output_problems(folder: Path, where: str = "--out") -> list[Problem]:
    """What stops results being written to `folder` (empty when it can be written)."""
    folder = Path(os.path.abspath(folder))
    name_max, path_max = _limits(folder)
    long = [p for p in folder.parts if len(os.fsencode(p)) > name_max]
    if long:
        return [
            Problem(
                str(folder),
                where,
                message=f"the name '{long[0][:40]}...' is longer than the "
                f"{name_max} bytes the file system allows; expected a shorter output path",
            )
        ]
    if len(os.fsencode(str(folder))) + 40 > path_max:
        return [
            Problem(
                str(folder),
                where,
                message=f"the path is longer than the {path_max} bytes the "
                "file system allows (with the result file names); expected a shorter output path",
            )
        ]
    probe = folder
    while not _exists(probe):
        if probe == probe.parent:
            break
        probe = probe.parent
    if not probe.is_dir():
        return [Problem(str(probe), where, message="is a file, not a folder; expected an output folder")]
    try:
        fd, name = tempfile.mkstemp(prefix=".gridplan-probe-", dir=probe)
        os.close(fd)
        os.unlink(name)
    except OSError as e:
        return [
            Problem(
                str(probe), where, message=f"cannot be written ({e.strerror}); expected a writable folder"
            )
        ]
    return []


def planned_name(case: Path) -> str | None:
    """The scenario name that decides results/<name>, read from the YAML alone (None when it
    cannot be read or is not a safe name: loading the case then reports why)."""
    from gridplan.case import load_layers

    problems: list[Problem] = []
    data, _ = load_layers(case, problems)
    name = data.get("name")
    if problems or not isinstance(name, str) or name_problem(name):
        return None
    return name


def check_output(folder: Path, where: str = "--out") -> None:
    """Raise InputError (exit 2) before the solve when results cannot go to `folder`."""
    problems = output_problems(folder, where)
    if problems:
        raise InputError(problems)


@contextmanager
def writing(what: str, path: Path) -> Iterator[None]:
    """Turn an OSError while writing `path` into OutputError naming the file and the cause."""
    try:
        yield
    except OSError as e:
        cause = "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
        raise OutputError(
            f"{what} could not be written to {path}: {cause} (errno {e.errno}); files written before "
            "are kept unchanged, no file is left half-written"
        ) from None
