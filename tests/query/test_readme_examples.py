"""The Python and shell examples of the README's query section run and show true values.

Python lines of the form ``EXPRESSION  # VALUE`` where VALUE is a Python literal are
checked: the expression, evaluated after the block has run, must equal the literal.
"""
from __future__ import annotations

import ast
import os
import re
import shlex

import pytest
from click.testing import CliRunner

from teikit.cli import cli

from ..conftest import DEV_CORPUS, ROOT, TEI_DIR

README = (ROOT / "README.md").read_text("utf-8")


def section() -> str:
    if "<!-- query:start -->" not in README:
        pytest.skip("README has no query section")
    return README.split("<!-- query:start -->", 1)[1].split("<!-- query:end -->", 1)[0]


def checked_lines(code: str) -> list[tuple[str, object]]:
    """(expression, expected value) for every ``EXPR  # literal`` line of ``code``."""
    checks = []
    for line in code.splitlines():
        if "  # " not in line:
            continue
        expression, comment = line.split("  # ", 1)
        try:
            expected = ast.literal_eval(comment.strip())
            ast.parse(expression.strip(), mode="eval")
        except (ValueError, SyntaxError):
            continue
        checks.append((expression.strip(), expected))
    return checks


@pytest.fixture
def at_root():
    if not DEV_CORPUS.exists():
        pytest.skip("the dev corpus is not beside the checkout")
    cwd = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(cwd)


def test_python_examples_run_and_their_values_are_true(at_root):
    blocks = re.findall(r"```python\n(.*?)```", section(), re.S)
    assert blocks
    for code in blocks:
        namespace: dict = {}
        exec(compile(code, "README.md", "exec"), namespace)
        checks = checked_lines(code)
        assert len(checks) >= 10
        for expression, expected in checks:
            assert eval(expression, namespace) == expected, expression


def test_shell_examples_run(at_root, tmp_path):
    blocks = re.findall(r"```sh\n(.*?)```", section(), re.S)
    assert blocks
    commands = [shlex.split(line, comments=True) for block in blocks for line in block.splitlines()]
    commands = [c for c in commands if c]
    assert len(commands) >= 6
    for argv in commands:
        assert argv[0] == "teikit"
        if "tei" in argv and not TEI_DIR.exists():
            continue
        argv = [str(tmp_path / a) if a.endswith(".sqlite") else a for a in argv[1:]]
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 0, (argv, result.output)
        assert result.output, argv
