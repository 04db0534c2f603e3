"""Progress of long work, for people at a terminal, CI logs and Python callers.

The Python API takes ``progress=``: a callable given the number of items (files)
just finished, the same contract as ``tqdm``'s ``update``, so ``progress=bar.update``
works.  The command line uses :func:`reporter`, which picks one of three shapes:

* a terminal: a click progress bar on stderr;
* not a terminal (CI logs, pipes): a plain line ``teikit: validating: 500/2000 files (25%)``
  once the work has taken over :data:`FIRST_LINE_SECONDS`, then every
  :data:`LINE_EVERY_SECONDS` (``TEIKIT_PROGRESS_SECONDS`` sets this interval; 0: a
  line per update), and a last line when it ends;
* ``--quiet``, or fewer than :data:`MIN_ITEMS` items: nothing.
"""
from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Callable, Optional, TextIO

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

#: the Python API's callback: called with the number of items just finished
ProgressCallback = Callable[[int], None]

FIRST_LINE_SECONDS = 1.0    # work that ends sooner needs no progress at all
LINE_EVERY_SECONDS = 10.0   # a CI log gets a line this often: alive, yet not flooded
MIN_ITEMS = 8               # a count of fewer items tells little: no display for them
INTERVAL_VARIABLE = "TEIKIT_PROGRESS_SECONDS"


def notify(progress: Optional[ProgressCallback], done: int = 1) -> None:
    """Tell ``progress`` (if any) that ``done`` more items are finished."""
    if progress is not None and done:
        progress(done)


class Reporter:
    """Counts finished items and shows them; call it with the number just finished.

    Use it as a context manager, so the bar is closed (or the last line printed)
    whatever happens.
    """

    def __init__(self, label: str, total: int, *, stream: Optional[TextIO] = None,
                 quiet: bool = False, unit: str = "files"):
        self.label, self.total, self.unit = label, total, unit
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._started = time.monotonic()
        self._next_line = self._started + FIRST_LINE_SECONDS
        self._interval = _interval()
        if self._interval == 0:
            self._next_line = self._started
        self._printed: Optional[int] = None   # the count the last line showed
        self._bar: ProgressBar[int] | None = None
        if quiet or total < MIN_ITEMS:
            self._mode = "off"
        elif _is_terminal(self._stream):
            self._mode = "bar"
        else:
            self._mode = "lines"

    def __call__(self, done: int = 1) -> None:
        self.done += done
        if self._mode == "bar":
            if self._bar is None:
                import click  # only a terminal run pays for it here
                self._bar = click.progressbar(length=self.total, label=self.label, file=self._stream)
                self._bar.__enter__()
            self._bar.update(done)
        elif self._mode == "lines":
            now = time.monotonic()
            if now >= self._next_line:
                self._line()
                self._next_line = now + self._interval

    def close(self) -> None:
        """End the bar, or print the last line if any line was printed (a log then shows the end)."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
        elif self._mode == "lines" and self._printed is not None and self._printed != self.done:
            self._line()

    def __enter__(self) -> "Reporter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _line(self) -> None:
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        elapsed = time.monotonic() - self._started
        self._stream.write(f"teikit: {self.label}: {self.done}/{self.total} {self.unit}{share}, "
                           f"{elapsed:.0f} s\n")
        self._stream.flush()
        self._printed = self.done


def reporter(label: str, total: int, *, quiet: bool = False, unit: str = "files") -> Reporter:
    """The progress display for ``total`` items on stderr (see the module's docstring)."""
    return Reporter(label, total, quiet=quiet, unit=unit)


def _interval() -> float:
    try:
        return max(0.0, float(os.environ.get(INTERVAL_VARIABLE, LINE_EVERY_SECONDS)))
    except ValueError:
        return LINE_EVERY_SECONDS


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
