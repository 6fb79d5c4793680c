"""The time guard: a limit on how long one check may run, that the learner's code cannot swallow.

``TimeGuard(seconds).run(fn, arg)`` calls ``fn(arg)``; once ``seconds`` have passed it raises
``CheckTimeout`` (a BaseException) inside whatever Python code is running. The guard keeps its own
record (``guard.expired``): a check whose guard expired is a timeout, whatever the learner's code did
with the interruption (``except BaseException: pass``, a retry loop with a bare ``except:``).

How it stops code that catches the interruption: after the deadline the alarm fires again every
``REFIRE`` seconds, and each alarm installs a trace function that raises ``CheckTimeout`` once more on the
next line the learner's code runs, which is usually a line of the ``except`` block that just caught it.
That ends a retry loop with a bare ``except:`` within milliseconds. Known limit: a loop whose handler is
itself wrapped in a second catch-all can outlast the limit (until its own work ends); the verdict is
still "timeout", because the guard's record decides. Main
thread: SIGALRM timer (an already running outer timer is restored). Other threads: a watchdog join;
the worker thread is left behind as a daemon.
"""
from __future__ import annotations

import signal
import sys
import threading
import time

__all__ = ["CheckTimeout", "TimeGuard", "REFIRE"]

REFIRE = 0.002
"""After the limit, the alarm fires again every REFIRE seconds."""
_OURS = ("lessons_lib", "contextlib", "threading")


class CheckTimeout(BaseException):
    """Raised by the time guard. A BaseException, so ``except Exception`` in learner code does not catch it."""


def _ours(frame):
    return str(frame.f_globals.get("__name__", "")).startswith(_OURS)


class TimeGuard:
    """One time-limited run. ``expired`` is the guard's own record: True once the limit has passed."""

    _active: list = []  # guards currently running in the main thread, innermost last

    def __init__(self, seconds):
        self.seconds = seconds
        self.start = None
        self.fired = False
        self.armed = False

    @property
    def elapsed(self):
        return 0.0 if self.start is None else time.monotonic() - self.start

    @property
    def expired(self):
        """True when the limit was reached, even if the interruption was caught by the learner's code."""
        return bool(self.seconds) and self.seconds > 0 and (self.fired or self.elapsed > self.seconds)

    # ----------------------------------------------------------------- interrupting learner code
    def _trace(self, frame, event, arg):
        if self.armed and self.fired and event in ("call", "line") and not _ours(frame):
            raise CheckTimeout()  # CPython then drops the trace function; the next alarm installs it again
        return self._trace if self.armed else None

    def _haunt(self, frame):
        """Make every learner frame on the stack raise again on its next line (its except blocks included)."""
        sys.settrace(self._trace)
        while frame is not None:
            if not _ours(frame):
                frame.f_trace = self._trace
                frame.f_trace_lines = True
            frame = frame.f_back

    def _on_alarm(self, signum, frame):
        if not self.armed:
            return
        first = not self.fired
        self.fired = True
        self._haunt(frame)
        if first or not _ours(frame):  # a repeat alarm never interrupts the checker's own clean-up
            raise CheckTimeout()

    # ----------------------------------------------------------------- running
    def run(self, fn, arg):
        """``fn(arg)`` under the limit; raises CheckTimeout when it is reached (see ``expired`` too)."""
        self.start = time.monotonic()
        if self.seconds is None or self.seconds <= 0:
            return fn(arg)
        main = threading.current_thread() is threading.main_thread()
        if main and hasattr(signal, "SIGALRM"):
            return self._run_alarm(fn, arg)
        return self._run_thread(fn, arg)

    def _run_alarm(self, fn, arg):
        previous = signal.signal(signal.SIGALRM, self._on_alarm)
        outer_left, outer_every = signal.getitimer(signal.ITIMER_REAL)
        old_trace = sys.gettrace()
        outer = TimeGuard._active[-1] if TimeGuard._active else None
        TimeGuard._active.append(self)
        self.armed = True
        first = min(self.seconds, outer_left) if outer_left > 0 else self.seconds
        signal.setitimer(signal.ITIMER_REAL, first, REFIRE)
        try:
            return fn(arg)
        finally:
            self.armed = False  # first: a late alarm is now a no-op
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            sys.settrace(old_trace)
            TimeGuard._active.pop()
            if outer_left > 0:
                left = max(outer_left - self.elapsed, 1e-3)
                signal.setitimer(signal.ITIMER_REAL, left, outer_every)
                if outer is not None and left <= 1e-3:
                    outer.fired = True

    def _run_thread(self, fn, arg):
        box = {}

        def target():
            try:
                box["value"] = fn(arg)
            except BaseException as err:  # handed back to the calling thread below
                box["error"] = err

        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        worker.join(self.seconds)
        if worker.is_alive():  # cannot be killed; it is a daemon and is left behind
            self.fired = True
            raise CheckTimeout()
        if "error" in box:
            raise box["error"]
        return box["value"]
