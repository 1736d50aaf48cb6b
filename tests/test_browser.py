"""The week's HTML page in a real browser: headless Chromium, network shut, driven over its DevTools
pipe (tests/chromium.py). It loads with no console error and no request but its own file, draws
something that is not blank at desktop and phone widths, fits a phone's width, and prints to A4
and Letter with the print styles in force.

Chromium comes from the system (Debian's `chromium`; .ci/run installs it where it can). Without it
these tests skip and say so, unless PLANNER_REQUIRE_BROWSER=1 (set by .ci/run where it could
install it), where a missing browser is a failure.
"""

from __future__ import annotations

import io
import os

import pytest

from chromium import PAPER, Chromium, find_chromium
from planner import PlanRequest, make_plan
from planner.coverage_chart import COLOURS
from planner.render import render

PIL = pytest.importorskip("PIL.Image", reason="Pillow decodes the screenshots: pip install '.[test]'")

if not find_chromium():
    if os.environ.get("PLANNER_REQUIRE_BROWSER") == "1":
        pytest.fail("PLANNER_REQUIRE_BROWSER=1 but no Chromium is installed (apt-get install chromium)",
                    pytrace=False)
    pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it as root)",
                allow_module_level=True)

VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "week.html"
    path.write_text(render(make_plan(PlanRequest(days=7, max_days=3)), "html"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    with Chromium() as chromium:
        yield chromium


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k:k + 2], 16) for k in (1, 3, 5))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_page_loads_clean_and_draws(browser, page_path, tmp_path, viewport):
    width, height, mobile = VIEWPORTS[viewport]
    report = browser.load(page_path, width, height, mobile)
    assert report.errors() == []
    assert report.requests == [page_path.resolve().as_uri()]
    shot = browser.screenshot(tmp_path / f"{viewport}.png")
    image = PIL.open(io.BytesIO(shot.read_bytes())).convert("RGB")
    scale = 2 if mobile else 1
    assert image.width == width * scale and image.height > height * scale   # the whole page, taller than a screen
    counts = {colour: n for n, colour in image.getcolors(image.width * image.height)}
    not_white = 1 - counts.get((255, 255, 255), 0) / (image.width * image.height)
    assert len(counts) > 200, len(counts)
    assert 0.05 < not_white < 0.9, not_white
    # The chart was drawn: its "target met" fill covers a good many pixels.
    assert counts.get(_hex(COLOURS["met"][0]), 0) > 10_000


def test_on_a_phone_only_the_chart_scrolls_sideways(browser, page_path):
    browser.load(page_path, *VIEWPORTS["phone"])
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    chart = browser.evaluate("(() => { const c = document.querySelector('.chart'); "
                             "return [c.clientWidth, c.scrollWidth]; })()")
    assert chart[0] <= 390 and chart[1] > chart[0]   # the chart keeps a readable size in its own scroller
    assert browser.evaluate("getComputedStyle(document.querySelector('.swipe')).display") == "block"
    assert browser.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 15


def test_print_styles_and_paper(browser, page_path, tmp_path):
    browser.load(page_path, *VIEWPORTS["desktop"])
    browser.send("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        style = browser.evaluate("""(() => {
            const s = (q) => getComputedStyle(document.querySelector(q));
            return {nav: s('nav.contents').display, day: s('.day').breakInside,
                    shopping: s('#shopping').breakBefore, chart: s('#coverage').breakBefore,
                    adjust: s('.cell, svg').printColorAdjust || s('body').webkitPrintColorAdjust};
        })()""")
    finally:
        browser.send("Emulation.setEmulatedMedia", session=True, media="")
    assert style["nav"] == "none"
    assert style["day"] == "avoid"
    assert style["shopping"] == style["chart"] == "page"
    assert style["adjust"] == "exact"
    for paper in PAPER:
        pdf = browser.pdf(tmp_path / f"{paper}.pdf", paper).read_bytes()
        assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000


def test_the_harness_sees_errors_and_requests(browser, tmp_path):
    """The clean load above means something: a page that fetches and fails is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><title>t</title><img src="http://example.invalid/x.png">'
                   '<script>console.error("boom"); nosuch();</script>', encoding="utf-8")
    report = browser.load(bad)
    errors = " | ".join(report.errors())
    assert "boom" in errors and "nosuch" in errors and "ERR_" in errors
    assert "http://example.invalid/x.png" in report.requests
