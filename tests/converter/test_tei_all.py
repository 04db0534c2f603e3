"""Every output is valid against the official tei_all schema: FRUS of every era, Markdown, seeds."""
from __future__ import annotations

import pytest

from teikit.converter import convert_file

from ..conftest import SEEDS
from .conftest import DATA, FRUS_FOLDERS, corpus


def inputs(folder):
    return sorted(folder.glob("*.txt"))


@pytest.mark.parametrize("name", FRUS_FOLDERS)
def test_frus_outputs_are_valid(tei_all, name):
    invalid = {}
    for path in inputs(corpus(name)):
        root = convert_file(path).root
        if not tei_all.validate(root):
            invalid[path.name] = str(tei_all.error_log.last_error)
    assert not invalid


def test_other_outputs_are_valid(tei_all):
    paths = inputs(SEEDS) + sorted(DATA.glob("*/*.txt"))
    assert paths
    for path in paths:
        root = convert_file(path).root
        assert tei_all.validate(root), (path.name, tei_all.error_log.last_error)


def test_held_out_outputs_are_valid(tei_all, held_out):
    invalid = [path.name for path in inputs(held_out)
               if not tei_all.validate(convert_file(path).root)]
    assert not invalid
