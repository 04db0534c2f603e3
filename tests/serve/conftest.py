"""Fixtures for the reading site and the DTS API: the FRUS dev corpus plus the repo's tei/."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its test client; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from teikit.publish.catalog import Catalog  # noqa: E402
from teikit.serve.app import create_app  # noqa: E402
from teikit.serve.search import Searcher, build_in_background  # noqa: E402

SCHEMAS = Path(__file__).parent / "schemas"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sources(dev_corpus: Path, tei_dir: Path) -> list[Path]:
    return [dev_corpus, tei_dir]


@pytest.fixture(scope="session")
def catalog(sources) -> Catalog:
    return Catalog(sources)


@pytest.fixture(scope="session")
def searcher(sources, tmp_path_factory) -> Searcher:
    """The index built the way ``teikit serve`` builds it without ``--index``."""
    index = tmp_path_factory.mktemp("index") / "index.sqlite"
    build_in_background(sources, index).join(60)
    searcher = Searcher(index)
    assert searcher.ready and searcher.error is None
    return searcher


@pytest.fixture(scope="session")
def client(catalog, searcher) -> TestClient:
    return TestClient(create_app(catalog, searcher))


@pytest.fixture(scope="session")
def schemas():
    """``check(kind, data)`` validates a response against tests/serve/schemas/<kind>.json."""
    registry = referencing.Registry()
    loaded = {}
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        loaded[path.stem] = schema
        resource = referencing.Resource.from_contents(schema)
        registry = registry.with_resource(schema["$id"], resource)
    validators = {kind: jsonschema.Draft202012Validator(schema, registry=registry)
                  for kind, schema in loaded.items()}

    def check(kind: str, data: dict) -> dict:
        errors = sorted(validators[kind].iter_errors(data), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        return data

    return check


@pytest.fixture
def client_for():
    """A test client over other files (no search)."""
    return lambda paths: TestClient(create_app(Catalog(paths)))
