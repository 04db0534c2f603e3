"""Exceptions raised by teikit.

Every error a user can cause carries the file and line it is about, so the
command line can print ``file:line: message`` instead of a traceback.
"""
from __future__ import annotations


class TeikitError(Exception):
    """Base class for errors teikit reports to its users."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def located(self, path: str | None = None) -> "TeikitError":
        """Return self with ``path`` filled in if it was not known yet."""
        if self.path is None and path is not None:
            self.path = path
        return self

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class InputError(TeikitError):
    """The input cannot be processed (empty, not text, not well-formed, ...)."""


class OutputError(TeikitError):
    """An output cannot be written (exists without --force, no permission, ...)."""
