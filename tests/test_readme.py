"""The README's set-up commands are the ones CI runs, and its Python examples run."""
from __future__ import annotations

import os
import re


from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_ci_runs_the_readme_test_command():
    main_job, tests = quick_start_commands()
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert "teikit convert seeds -o tei" in main_job and "teikit validate tei" in main_job


def test_convert_section_python_example_runs():
    section = README.split("<!-- convert:start -->", 1)[1].split("<!-- convert:end -->", 1)[0]
    code = re.findall(r"```python\n(.*?)```", section, re.S)
    assert code
    cwd = os.getcwd()
    os.chdir(ROOT / "seeds")
    try:
        for snippet in code:
            exec(compile(snippet.replace("seeds/", ""), "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
