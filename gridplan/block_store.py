"""Solved independent parts of an LP, kept in a folder and reused when the same part comes again.

The LPs of a study (the scenarios of a sweep, the re-solves of `target-costs`) differ in a few
numbers, and often not in every independent part (gridplan/blocks.py): a sweep over battery
costs leaves the historical period 2025 as it is, and so does dropping a 2030 target. A part whose
LP is the same to the last bit, solved with the same HiGHS version and options, has the same
answer (HiGHS is deterministic with `random_seed` fixed and one thread), so it is read back instead
of solved again: exact, not an approximation.

    key   sha256 of the HiGHS version, the options (sorted; those that only change what is
          printed left out, and crossover) and the part's costs, column and row bounds and
          matrix (its arrays' bytes): a part that differs in any number, or is solved
          differently, has another key;
    file  `<folder>/<key>.npz`: status, primal and dual validity, objective (without the
          offset), column values, row duals and whether the point is a vertex (crossover on).
          A solve with crossover reuses only a vertex; one without crossover reuses either (a
          vertex is an optimal point too; only its objective and plan are read, e.g. the
          re-solves of `target-costs`). Only optimal parts are kept. Written atomically
          (gridplan/atomic.py), so workers of one study share the folder and a reader never sees
          half a file; a file that cannot be read is solved again.

`reusing(folder)` makes a store current for the solves inside it (gridplan/solve.py asks
`current()`); with a store, an interior-point solve is split into its parts even on one thread,
and each part is solved with one thread (parts side by side when the solve has more).

    shared folder  `gridplan run`, `sweep` and `target-costs` share one store, so a study reads
          back what an earlier command solved (a `target-costs` after `gridplan run` of the same
          case does not solve the base again): `$GRIDPLAN_PARTS`, else
          `$XDG_CACHE_HOME/gridplan/parts`, else `~/.cache/gridplan/parts`; `GRIDPLAN_PARTS=off`
          turns reuse off. It is a cache: deleting it only costs solve time. When a part is
          written and the folder holds more than LIMIT_BYTES, the parts read or written longest
          ago are removed until it holds at most that.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import highspy
import numpy as np

from gridplan.atomic import replacing

PRINT_OPTIONS = ("output_flag", "log_to_console", "log_dev_level", "log_file")  # not in the key
NOT_IN_KEY = (*PRINT_OPTIONS, "run_crossover")  # crossover: the stored part says if it is a vertex
LIMIT_BYTES = 2 * 1024**3  # the shared folder's size bound (module docstring)
OFF = ("off", "0", "no", "false", "")  # GRIDPLAN_PARTS values that turn reuse off
FIELDS = ("status", "primal", "dual", "objective", "x", "row_dual", "vertex")

_current: contextvars.ContextVar[BlockStore | None] = contextvars.ContextVar("block_store", default=None)


class BlockStore:
    """A folder of solved parts, by key (module docstring)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def key(self, lp: highspy.HighsLp, options: dict[str, Any], version: str) -> str:
        """sha256 of what decides the part's answer: HiGHS version, options and the LP's numbers."""
        h = hashlib.sha256(version.encode())
        for name in sorted(options):
            if name not in NOT_IN_KEY:
                h.update(f"{name}={options[name]!r};".encode())
        a = lp.a_matrix_
        for arr, kind in (
            (lp.col_cost_, float),
            (lp.col_lower_, float),
            (lp.col_upper_, float),
            (lp.row_lower_, float),
            (lp.row_upper_, float),
            (a.start_, np.int64),
            (a.index_, np.int64),
            (a.value_, float),
        ):
            v = np.ascontiguousarray(np.asarray(arr, dtype=kind))
            h.update(str(v.shape).encode())
            h.update(v.tobytes())
        return h.hexdigest()

    def get(self, key: str, vertex: bool) -> dict[str, Any] | None:
        """The stored part, None when there is none (or it cannot be read) or when a vertex
        (crossover on) is asked for and the stored part is an interior point."""
        path = self.folder / f"{key}.npz"
        try:
            with np.load(path, allow_pickle=False) as f:
                out = {k: f[k] for k in FIELDS}
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
            return None  # missing, half-written by hand or damaged: solved again
        if vertex and not bool(out["vertex"]):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # read recently: kept longest when the folder is pruned
        return {
            "status": str(out["status"]),
            "primal": bool(out["primal"]),
            "dual": bool(out["dual"]),
            "objective": float(out["objective"]),
            "x": out["x"],
            "row_dual": out["row_dual"],
        }

    def put(self, key: str, part: dict[str, Any], vertex: bool) -> None:
        """Keep an optimal part (atomic; a part that cannot be written is only not kept); an
        interior point does not replace a stored vertex."""
        if part["status"] != "optimal" or (not vertex and (self.folder / f"{key}.npz").is_file()):
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            with replacing(self.folder / f"{key}.npz") as tmp, tmp.open("wb") as f:
                np.savez(
                    f,
                    status=np.asarray(part["status"]),
                    primal=np.asarray(part["primal"]),
                    dual=np.asarray(part["dual"]),
                    objective=np.asarray(part["objective"]),
                    x=np.asarray(part["x"]),
                    row_dual=np.asarray(part["row_dual"]),
                    vertex=np.asarray(vertex),
                )
            self.prune()

    def prune(self, limit: int = LIMIT_BYTES) -> None:
        """Remove the parts read or written longest ago until the folder holds at most `limit`
        bytes (a part removed by another process meanwhile is skipped)."""
        files = []
        for f in self.folder.glob("*.npz"):
            with contextlib.suppress(OSError):
                st = f.stat()
                files.append((st.st_mtime, st.st_size, f))
        total = sum(size for _, size, _ in files)
        for _, size, f in sorted(files, key=lambda x: x[0]):
            if total <= limit:
                break
            with contextlib.suppress(OSError):
                f.unlink()
            total -= size


def shared_folder() -> Path | None:
    """The store shared by gridplan's commands (module docstring); None when GRIDPLAN_PARTS is off."""
    env = os.environ.get("GRIDPLAN_PARTS")
    if env is not None:
        return None if env.strip().lower() in OFF else Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "gridplan" / "parts"


def current() -> BlockStore | None:
    """The store of the enclosing `reusing` block, if any."""
    return _current.get()


@contextlib.contextmanager
def reusing(folder: str | Path | None) -> Iterator[BlockStore | None]:
    """Solves inside keep and reuse their parts in `folder` (no store when it is None)."""
    store = BlockStore(folder) if folder is not None else None
    token = _current.set(store)
    try:
        yield store
    finally:
        _current.reset(token)
