"""Headless Chromium on the static site: screenshots at 1280 and 390 px, no horizontal
overflow, in-page links and notes/back-links that land on their targets.

Skipped when no chromium is installed (``.ci/run`` installs it).  Chromium loads a
probe page holding every site page in an iframe of each width; the probe's script
(test code, not the site's: the site has none) writes what it measured into the DOM,
which ``--dump-dom`` prints.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

WIDTHS = (1280, 390)
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files",
         "--disable-extensions", "--no-first-run", "--virtual-time-budget=10000"]

PROBE = """<!DOCTYPE html><html><body>%s<script>
window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('iframe').forEach(function (f) {
    var w = f.contentWindow, d = w.document, root = d.documentElement, broken = [];
    d.querySelectorAll('a[href^="#"]').forEach(function (a) {
      if (!d.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))) broken.push(a.getAttribute('href'));
    });
    var target = d.querySelector(':target');
    out.push({src: f.getAttribute('src'), width: f.clientWidth, scroll: root.scrollWidth, client: root.clientWidth,
              y: w.scrollY, target: target ? target.id : null, broken: broken});
  });
  document.body.setAttribute('data-result', JSON.stringify(out));
});
</script></body></html>"""


def run_chromium(*args: str) -> str:
    done = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120)
    return done.stdout


def probe(site: Path, frames: list[tuple[str, int]]) -> list[dict]:
    iframes = "".join(f'<iframe src="{html.escape(src)}" style="width:{w}px;height:600px;border:0"></iframe>'
                      for src, w in frames)
    page = site / "probe.html"
    page.write_text(PROBE % iframes, encoding="utf-8")
    dom = run_chromium("--dump-dom", page.as_uri())
    match = re.search(r'data-result="([^"]*)"', dom)
    assert match, f"the probe page did not run: {dom[:500]}"
    return json.loads(html.unescape(match.group(1)))


@pytest.fixture(scope="module")
def site(sources, tmp_path_factory) -> Path:
    from teikit.publish.site import write_site
    out = tmp_path_factory.mktemp("browser") / "site"
    write_site(sources, out)
    return out


def test_no_horizontal_overflow_and_no_broken_anchors(site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    results = probe(site, [(p, w) for p in pages for w in WIDTHS])
    assert len(results) == len(pages) * len(WIDTHS)
    for r in results:
        assert r["scroll"] <= r["client"], f"{r['src']} at {r['width']} px scrolls sideways: {r}"
        assert not r["broken"], f"{r['src']}: anchors without target {r['broken']}"


def test_note_and_back_link_land_on_their_targets(site):
    doc = "frus1955-57v01/d186.html"
    note, back = probe(site, [(f"{doc}#d186fn2", 390), (f"{doc}#d186fn2-ref", 390)])
    assert note["target"] == "d186fn2" and note["y"] > 0
    assert back["target"] == "d186fn2-ref" and 0 < back["y"] < note["y"]


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots(site, tmp_path, width):
    shot = tmp_path / f"d186-{width}.png"
    run_chromium(f"--window-size={width},900", f"--screenshot={shot}", (site / "frus1955-57v01/d186.html").as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (width, 900)
