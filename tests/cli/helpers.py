"""Running the CLI in-process for the safety tests."""
from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner, Result

from teikit.cli import cli


def teikit(*args: object) -> Result:
    """Run ``teikit ARGS``; an uncaught exception (a traceback for a user) fails the test."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"teikit {args}: uncaught {result.exception!r}") from result.exception
    return result


def fingerprint(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``: inputs must come out byte for byte the same."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
