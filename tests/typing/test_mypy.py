"""Type checking: ``src/`` is clean under the project's mypy config, and a misusing script is not."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy", reason="mypy is in the test extra")

ROOT = Path(__file__).resolve().parents[2]
MISUSE = Path(__file__).with_name("misuse.py")


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)


def test_src_is_clean_under_the_strict_config():
    run = _mypy()  # files and strictness from [tool.mypy] in pyproject.toml
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("Success: no issues found")


def test_a_script_misusing_the_api_fails_type_checking_on_each_wrong_line():
    run = _mypy("--strict", str(MISUSE.relative_to(ROOT)))
    assert run.returncode == 1, run.stdout + run.stderr
    errors = {int(m.group(1)): m.group(2)
              for m in re.finditer(r"misuse\.py:(\d+): error: (.*)", run.stdout)}
    wrong = {number for number, line in enumerate(MISUSE.read_text().splitlines(), 1) if "# wrong" in line}
    assert set(errors) == wrong, run.stdout
    lines = MISUSE.read_text().splitlines()
    expected = {
        "n: int = doc.number": 'Incompatible types in assignment (expression has type "str | None", variable has type "int")',
        "doc.nonexistent_attr": '"Document" has no attribute "nonexistent_attr"',
        'refs="eror"': 'Argument "refs" to "validate" has incompatible type "Literal[\'eror\']"',
        "convert(b": 'Argument 1 to "convert" has incompatible type "bytes"; expected "str"',
        "ok: str": 'Incompatible types in assignment (expression has type "bool", variable has type "str")',
        "search(42)": 'Argument 1 to "search" of "Corpus" has incompatible type "int"; expected "str"',
    }
    for marker, message in expected.items():
        number = next(i for i, line in enumerate(lines, 1) if marker in line)
        assert errors[number].startswith(message), (marker, errors[number])
