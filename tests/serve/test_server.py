"""The real thing: ``teikit serve`` started as a process with uvicorn on a free loopback port."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from teikit.cli import main
from teikit.errors import InputError
from teikit.publish.catalog import Catalog

STARTUP_TIMEOUT = 30  # seconds; generous for a loaded CI machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["content-type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["content-type"], exc.read()


@pytest.fixture
def server(tei_dir: Path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "teikit", "serve", str(tei_dir), "--port", str(port),
                                "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        while True:
            try:
                fetch(base + "/api/dts")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not start: {process.stderr.read().decode()}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
    with pytest.raises(OSError):  # no worker outlives the server
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_served_over_http(server):
    status, kind, body = fetch(server + "/api/dts")
    assert status == 200 and kind.startswith("application/ld+json")
    entry = json.loads(body)
    assert entry["@type"] == "EntryPoint"
    status, _, body = fetch(server + "/api/dts/collection?id=tei")
    members = [m["@id"] for m in json.loads(body)["member"]]
    assert members == ["tei/d59", "tei/d77"]
    status, kind, body = fetch(server + "/api/dts/document?resource=tei/d59&tree=paragraph&ref=1")
    assert status == 200 and kind.startswith("application/tei+xml") and b"dts:wrapper" in body
    status, kind, body = fetch(server + "/tei/d59.html")
    assert status == 200 and b"59. Backchannel Message" in body
    status, kind, body = fetch(server + "/api/dts/navigation?resource=tei/d59")
    assert status == 400 and json.loads(body)["statusCode"] == 400


def test_search_answers_once_the_background_index_is_built(server):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        status, _, body = fetch(server + "/search.html?q=Backchannel")
        if status != 503 or time.monotonic() > deadline:
            break
        assert b"being built" in body
        time.sleep(0.2)
    assert status == 200 and b'href="tei/d59.html' in body and b"<mark>Backchannel</mark>" in body


def test_serve_refuses_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<text>\n</TEI>\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", str(bad)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:3: not well-formed XML") and "Traceback" not in err


def test_serve_refuses_a_missing_index(tei_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", str(tei_dir), "--index", str(tmp_path / "none.sqlite")])
    assert exit_info.value.code == 2
    assert "no such index" in capsys.readouterr().err


def test_serve_skips_a_file_it_cannot_read_and_names_it(tei_dir, tmp_path):
    folder = tmp_path / "mixed"
    shutil.copytree(tei_dir, folder)
    (folder / "config.xml").write_text("<hudson/>\n", encoding="utf-8")  # XML, but not TEI
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "teikit", "serve", str(folder), "--port", str(port),
                                "--workers", "1", "--index", str(tmp_path / "none.sqlite")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.wait(timeout=STARTUP_TIMEOUT)  # a missing index stops it once the catalog is read
    err = process.stderr.read().decode()
    assert f"{folder / 'config.xml'}:1: not a TEI document" in err and "(skipped)" in err
    assert "no such index" in err and "Traceback" not in err
    skipped: list[InputError] = []
    catalog = Catalog([folder], skip=skipped.append)
    assert [r.identifier for r in catalog.resources] == ["mixed/d59", "mixed/d77"]
    assert [problem.path for problem in skipped] == [str(folder / "config.xml")]
    with pytest.raises(InputError, match="not a TEI document"):  # the library is strict unless told
        Catalog([folder])
