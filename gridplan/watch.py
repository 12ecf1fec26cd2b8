"""Live progress of a run and a solve you can stop.

`Status` is what a progress callable receives while a stage runs: the stage, the seconds since
it began and, during the solve, HiGHS's phase, iteration, objective and gap (from its logging
and interrupt callbacks); on long loops the step and the number of steps.

`run_all` runs each `Highs.run()` in a worker thread while the calling thread waits, so Ctrl-C
(KeyboardInterrupt, raised only in the main thread) arrives at once; it then asks HiGHS to stop
through the interrupt callbacks (simplex, IPX and HiPO check them every iteration; HiPO's
ordering and crossover do not), waits up to STOP_WAIT seconds and re-raises KeyboardInterrupt.
Nothing is returned, so nothing is written.
"""

from __future__ import annotations

import inspect
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

import highspy

STOP_WAIT = 30.0  # seconds to wait for HiGHS to stop after Ctrl-C (the command line uses 1 s)
EVERY = 1.0  # seconds between two solver updates


@dataclass(frozen=True)
class Status:
    """A stage in progress (done=False) or ended (done=True); solver fields are NaN/"" outside
    the solve. objective is in CNY (present value), gap relative (|primal - dual| / |primal|).
    During the solve, progress callables are called from HiGHS's thread."""

    stage: str
    seconds: float
    done: bool = False
    phase: str = ""
    iteration: int = -1
    objective: float = math.nan
    gap: float = math.nan
    step: int = -1
    steps: int = -1
    detail: str = ""


Live = Callable[[Status], None]


def never(status: Status) -> None:
    del status


_CURRENT: ContextVar[Live] = ContextVar("gridplan_live", default=never)


@contextmanager
def watching(live: Live) -> Iterator[None]:
    """Solves inside the block report to `live` (gridplan.solve.solve reads current())."""
    token = _CURRENT.set(live)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current() -> Live:
    """The live callable of the enclosing `watching` block (none: a no-op)."""
    return _CURRENT.get()


def takes_status(progress: Callable[..., None] | None) -> bool:
    """Whether a progress callable takes a third argument, the Status."""
    if progress is None:
        return False
    try:
        inspect.signature(progress).bind("stage", 0.0, None)
    except (TypeError, ValueError):
        return False
    return True


def live_of(progress: Callable[..., None] | None) -> Live:
    """The live-update callable of a progress callable: `progress(stage, seconds, status)` when
    it takes a third argument, else nothing (a two-argument progress sees only stage ends)."""
    if progress is None or not takes_status(progress):
        return never
    return lambda st: progress(st.stage, st.seconds, st)


# HiGHS log lines: IPX "  15   1.048e+03   1.048e+03   2.7e-15   2.0e-08   1.0e-05   1.5"
_IPX = re.compile(r"^\s*(\d+)\*?\s+(\S+e[+-]\d+)\s+(\S+e[+-]\d+)\s+\S+\s+\S+\s+\S+\s+[\d.]+\s*$")
# simplex "   2976     6.9895681978e+02 Pr: 0(0) 3.4s" (also "Ph1: ...", "Du: ...")
_SIMPLEX = re.compile(r"^\s*(\d+)\s+(\S+e[+-]\d+)\s+(.*?)\s*[\d.]+s\s*$")
_INFEASIBLE = re.compile(r"Pr: (\d+)\(")
_PHASES = (
    ("Presolving model", "presolve"),
    ("Dependent equations search", "presolve"),
    ("IPX version", "ipx"),
    ("Running crossover", "crossover"),
    ("Using dual simplex", "simplex"),
    ("Using primal simplex", "simplex"),
    ("Performed postsolve", "postsolve"),
    ("Solving the original LP", "clean-up"),
)


class Watcher:
    """Follows one HiGHS run through its callbacks; calls `live` at most every EVERY seconds."""

    def __init__(self, live: Live, solver: str, offset: float, scale: float, t0: float) -> None:
        self.live, self.offset, self.scale, self.t0 = live, offset, scale, t0
        self.solver = solver
        self.state = Status("solve", 0.0, phase=solver)
        self.stop = threading.Event()
        self.last = -math.inf
        self.part = ""  # set when this run is one part of an LP (gridplan/blocks.py)
        # while a `floor` is set (Clarabel's vertex clean-up, gridplan/clarabel_ipm.py, which starts
        # from a primal feasible basis), a simplex objective below it with no primal infeasibility,
        # or a phase 1 line ("Ph1:"), sets `abandon`, which stops the run as `stop` does
        self.floor = -math.inf
        self.abandon = threading.Event()

    def _emit(self, **change: Any) -> None:
        if self.part:  # a part's objective is not the LP's: say which part instead
            change.pop("objective", None)
            change.pop("gap", None)
            change["detail"] = self.part
        self.state = replace(self.state, **change)
        now = time.perf_counter()
        if now - self.last >= EVERY:
            self.last = now
            try:  # runs in HiGHS's thread: a failing progress callable must not end the solve
                self.live(replace(self.state, seconds=now - self.t0))
            except Exception:  # noqa: BLE001 - progress only
                self.live = never

    def log(self, e: Any) -> None:
        """Logging callback: the phase from HiGHS's headlines, objective and gap from IPX and
        simplex iteration lines (HiPO logs its iterations to the console only)."""
        msg = str(e.message)
        for key, phase in _PHASES:
            if key in msg:  # HiPO's crossover runs in IPX
                self._emit(phase="crossover" if phase == "ipx" and self.solver == "hipo" else phase)
                return
        if m := _IPX.match(msg):
            self.ipm_iteration(int(m[1]), float(m[2]), float(m[3]))
            return
        m = _SIMPLEX.match(msg)
        pr = _INFEASIBLE.search(m[3]) if m else None
        if m and self.floor > -math.inf:
            below = pr is not None and int(pr[1]) == 0 and float(m[2]) < self.floor
            if below or m[3].startswith("Ph1:"):
                self.abandon.set()
        if m and self.state.phase in ("simplex", "clean-up", "crossover"):
            self._emit(
                iteration=int(m[1]),
                objective=(float(m[2]) + self.offset) * self.scale,
                detail=f"{int(pr[1]):,} infeasibilities" if pr and int(pr[1]) else "",
            )

    def switch(self, solver: str) -> None:
        """Another solver takes over the same run (Clarabel's vertex: HiGHS's, gridplan/clarabel_ipm.py)."""
        self.solver = solver
        self._emit(phase=solver, iteration=0)

    def ipm_iteration(self, iteration: int, primal: float, dual: float, phase: str = "") -> None:
        """An interior-point iteration with its primal and dual objectives (without the offset)."""
        self._emit(
            phase=phase or self.state.phase,
            iteration=iteration,
            objective=(primal + self.offset) * self.scale,
            gap=abs(primal - dual) / max(1.0, abs(primal + self.offset)),
        )

    def interrupt(self, e: Any) -> None:
        """Simplex and IPM interrupt callbacks: stop when asked; the iteration count."""
        if self.stop.is_set() or self.abandon.is_set():
            e.interrupt()
            return
        out = e.data_out
        simplex = int(e.callback_type) == _SIMPLEX_CB
        it = out.simplex_iteration_count if simplex else out.ipm_iteration_count
        phase = self.state.phase
        if phase in ("presolve", "") or ((phase == "simplex") != simplex and phase != "crossover"):
            phase = "simplex" if simplex else self.solver
        if it >= 0 and (it != self.state.iteration or phase != self.state.phase):
            self._emit(iteration=int(it), phase=phase)


_SIMPLEX_CB = int(highspy.cb.HighsCallbackType.kCallbackSimplexInterrupt)


_LOG_CB = int(highspy.cb.HighsCallbackType.kCallbackLogging)
_KINDS = (
    highspy.cb.HighsCallbackType.kCallbackLogging,
    highspy.cb.HighsCallbackType.kCallbackSimplexInterrupt,
    highspy.cb.HighsCallbackType.kCallbackIpmInterrupt,
)


class _Event:
    """What Watcher reads of one callback (highspy's HighsCallbackEvent without its machinery)."""

    __slots__ = ("callback_type", "data_in", "data_out", "message")

    def __init__(self, kind: Any, message: str, data_out: Any, data_in: Any) -> None:
        self.callback_type, self.message, self.data_out, self.data_in = kind, message, data_out, data_in

    def interrupt(self) -> None:
        if self.data_in is not None:
            self.data_in.user_interrupt = True


def follow(h: highspy.Highs, watcher: Watcher) -> None:
    """The watcher gets h's log lines and interrupt callbacks (see run_all)."""
    highspy._core._Highs.setCallback(h, _callback(watcher), None)
    for kind in _KINDS:
        h.startCallback(kind)


def run_all(jobs: list[tuple[highspy.Highs, Watcher]]) -> None:
    """Each h.run() in a worker thread of its own, side by side (independent parts of an LP,
    gridplan/blocks.py); Ctrl-C in the waiting thread stops them all. The callback is set on
    HiGHS's core object directly: highspy's event layer costs about 30 us per simplex iteration,
    a quarter of a small simplex solve; the interrupt callback checks stop and abandon on every
    call but hands the watcher an iteration only when an update is due (another 5% of the
    single-zone benchmark's simplex, model/performance.md). The logging callback needs HiGHS's
    output_flag on (log_to_console may be off)."""
    done = [threading.Event() for _ in jobs]
    failure: list[BaseException] = []
    for (h, watcher), finished in zip(jobs, done, strict=True):
        follow(h, watcher)
        threading.Thread(target=_work, args=(h, finished, failure), name="highs", daemon=True).start()
    try:
        while not all(d.wait(0.1) for d in done):
            pass
    except KeyboardInterrupt:
        for _, watcher in jobs:
            watcher.stop.set()
        for d in done:
            d.wait(STOP_WAIT)
        raise
    finally:
        for (h, _), finished in zip(jobs, done, strict=True):
            if finished.is_set():
                for kind in _KINDS:
                    h.stopCallback(kind)
                h.enableCallbacks()  # highspy's own layer back, for any later use of h
    if failure:
        raise failure[0]


def _callback(watcher: Watcher) -> Callable[..., None]:
    def callback(kind: Any, message: str, data_out: Any, data_in: Any, user_data: Any) -> None:
        if int(kind) == _LOG_CB:
            watcher.log(_Event(kind, message, data_out, data_in))
        elif watcher.stop.is_set() or watcher.abandon.is_set():
            data_in.user_interrupt = True
        else:
            data_in.user_interrupt = False  # HiGHS keeps it from one run of h to the next
            if time.perf_counter() - watcher.last >= EVERY:  # else nothing would be shown
                watcher.interrupt(_Event(kind, message, data_out, data_in))

    return callback


def _work(h: highspy.Highs, finished: threading.Event, failure: list[BaseException]) -> None:
    try:
        h.run()
    except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
        failure.append(e)
    finally:
        finished.set()


class Reporter:
    """The command line's progress callable: a line per finished stage, and a status line while
    a stage runs (elapsed, solver phase, iteration, objective, gap; a bar on loops), written to
    `stream` at most every `every` seconds (a line updated in place on a terminal, plain lines
    otherwise; TTY_EVERY / PLAIN_EVERY by default). A ticker thread keeps the elapsed time
    moving through stages that report nothing (build)."""

    TTY_EVERY, PLAIN_EVERY = 2.0, 5.0

    def __init__(self, stream: Any, every: float | None = None, live: bool = True) -> None:
        self.stream, self.show_live = stream, live
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.every = every if every is not None else (self.TTY_EVERY if self.tty else self.PLAIN_EVERY)
        self.lock = threading.Lock()
        self.current: Status | None = None
        self.began = self.printed = time.perf_counter()
        self.dirty = False  # a status line is on screen (TTY)
        self.closed = threading.Event()
        threading.Thread(target=self._tick, name="progress", daemon=True).start()

    def __call__(self, stage: str, seconds: float, status: Status | None = None) -> None:
        with self.lock:
            if status is not None and not status.done and not self.show_live:
                return
            if status is None or status.done:
                self.current = None
                self._write(f"[{stage:>7}] {seconds:8.2f} s", final=True)
                return
            new = self.current is None or self.current.stage != status.stage
            if new:
                self.began = time.perf_counter() - status.seconds
            self.current = status
            if (new and self.tty) or time.perf_counter() - self.printed >= self.every:
                self._write(line(status))

    def _tick(self) -> None:
        while not self.closed.wait(max(self.every / 2, 0.05)):
            with self.lock:
                st = self.current
                if st is not None and time.perf_counter() - self.printed >= self.every:
                    try:
                        self._write(line(replace(st, seconds=time.perf_counter() - self.began)))
                    except (OSError, ValueError):  # the stream has gone (closed)
                        return

    def _write(self, text: str, final: bool = False) -> None:
        if self.tty:
            self.stream.write(("\r\x1b[K" if self.dirty else "") + text + ("\n" if final else ""))
            self.dirty = not final
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self.printed = time.perf_counter()

    def clear(self) -> None:
        """End an in-place status line (before other output or an error)."""
        with self.lock:
            self.current = None
            if self.dirty:
                self.stream.write("\n")
                self.stream.flush()
                self.dirty = False

    def close(self) -> None:
        """clear(), and stop the ticker thread."""
        self.clear()
        self.closed.set()


def line(st: Status) -> str:
    """One status line: "[  solve]  1 min 05 s  ipx  iteration 15  objective 617.4 bn CNY  gap 0.001%"."""
    from gridplan.report import fmt

    parts = [f"[{st.stage:>7}] {fmt.seconds(st.seconds):>10}"]
    if st.steps > 0:
        parts.append(fmt.bar(st.step, st.steps))
    if st.phase:
        parts.append(st.phase)
    if st.iteration >= 0:
        parts.append(f"iteration {st.iteration:,}")
    if math.isfinite(st.objective):
        parts.append(f"objective {fmt.num(st.objective / 1e9, sig=6)} bn CNY")
    if math.isfinite(st.gap):
        parts.append(f"gap {fmt.num(st.gap * 100, sig=2)}%")
    if st.detail:
        parts.append(st.detail)
    return "  ".join(parts)
