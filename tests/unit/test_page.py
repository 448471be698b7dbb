"""table.html in a real headless Chromium: it renders, its log links resolve, its filter hides.

Chromium is Debian's (run.sh installs it), started with the flags that need no network and a
throwaway profile; the page is read back with --dump-dom after its script ran, and a screenshot
is taken the way `harness report --screenshot` takes it.
"""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
from cellsets import default_matrix_cells, make_cell, write_results

from harness.report import write_reports
from harness.report.browser import dump_dom, find_browser, screenshot
from harness.report.diff import compare
from harness.report.page import WORDS
from harness.report.table import SYMBOLS
from harness.results import FAILED, PASSED, SKIPPED

FALLBACK = ("3.11", "3.10", "3.9", "3.8")

Element = Tuple[str, Dict[str, Optional[str]]]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: List[Element] = []
        self.text: List[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    root = write_results(tmp_path_factory.mktemp("merged"), default_matrix_cells(),
                         freeze={"numpy": "1.23.5", "tensorflow": "2.12.1", "absl-py": "2.1.0"})
    from harness.report.runs import load

    cells = [loaded.cell for loaded in load(root).values()]
    write_reports(cells, root, FALLBACK, ())
    return root


@pytest.fixture(scope="module")
def browser() -> str:
    found = find_browser()
    if found is None:
        why = "no Chromium on this machine (run.sh installs Debian's chromium)"
        if os.environ.get("SPLEETER_MATRIX_REQUIRE_BROWSER") == "1":  # set by `nox -s tests`
            pytest.fail(why)
        pytest.skip(why)
    return found


def test_every_glyph_reads_with_its_word(results):
    text = "".join(parse((results / "table.html").read_text(encoding="utf-8")).text)
    found = 0
    for symbol in SYMBOLS.values():
        for match in re.finditer(re.escape(symbol), text):
            found += 1
            after = text[match.end():match.end() + 12].replace("\xa0", " ").lstrip()
            assert after.startswith(tuple(WORDS.values())), f"{symbol} without its word: {after!r}"
    assert found > 100  # the matrix, every card, every step


def test_log_links_are_relative_paths_inside_the_results_dir(results):
    elements = parse((results / "table.html").read_text(encoding="utf-8")).elements
    links = [attrs["href"] for tag, attrs in elements if tag == "a" and attrs.get("class") == "log"]
    assert len(links) > 300
    assert all(link.startswith("logs/") and "\\" not in link for link in links)
    assert all((results / link).is_file() for link in links)


def test_the_page_renders_in_chromium_and_every_log_link_resolves(results, browser):
    dom = dump_dom(results / "table.html", browser=browser)
    elements = parse(dom).elements
    body = next(attrs for tag, attrs in elements if tag == "body")
    assert body.get("data-ready") == "yes", "the page's script did not run to its end"
    cards = [a for t, a in elements if t == "section" and "card" in (a.get("class") or "")]
    assert len(cards) == len(default_matrix_cells())
    assert f"{len(cards)} of {len(cards)} cells shown" in dom
    links = [a["href"] for t, a in elements if t == "a" and a.get("class") == "log"]
    assert links and all((results / link).is_file() for link in links)
    anchors = {a["id"] for _, a in elements if "id" in a}
    internal = [a["href"][1:] for t, a in elements if t == "a" and a.get("href", "").startswith("#")]
    assert internal and set(internal) <= anchors, set(internal) - anchors


def test_the_filter_hides_every_cell_of_an_unchosen_status(results, browser):
    dom = dump_dom(results / "table.html", fragment="status=failed", browser=browser)
    elements = parse(dom).elements
    marked = [(t, a) for t, a in elements if "data-status" in a]
    assert {a["data-status"] for _, a in marked} == {PASSED, FAILED, SKIPPED}
    for tag, attrs in marked:
        shown = "hidden" not in attrs
        assert shown == (attrs["data-status"] == FAILED), (tag, attrs)
    failed = sum(c.status == FAILED for c in default_matrix_cells())
    assert f"{failed} of {len(default_matrix_cells())} cells shown" in dom
    boxes = {a["value"]: "checked" in a for t, a in elements if t == "input"}
    assert boxes == {PASSED: False, FAILED: True, SKIPPED: False}
    # A strategy row with no failed cell left (source-build: all skipped) goes; one with a failure stays.
    rows = {a["data-row"]: "hidden" in a for t, a in elements if t == "tr" and "data-row" in a}
    assert rows["source-build"] is True and rows["wheel-first"] is False and rows["resilient"] is True


def test_screenshot_of_the_page(results, browser):
    png = screenshot(results / "table.html", results / "table.png", browser=browser)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_the_diff_opens_the_page_when_a_previous_run_is_given(tmp_path):
    old = write_results(tmp_path / "old", [make_cell("3.10", "default", PASSED)])
    new = write_results(tmp_path / "new", [make_cell("3.10", "default", FAILED, diagnosis=None)])
    diff = compare(old, new)
    _, files = write_reports([make_cell("3.10", "default", FAILED)], new, FALLBACK, (), diff)
    page = files.html.read_text(encoding="utf-8")
    assert page.index('id="diff"') < page.index('id="matrix"')
    assert "Regressions: passed before, failing now" in page and "stage <code>" not in page


def test_a_missing_browser_is_a_warning_not_a_failed_report(tmp_path, monkeypatch, capsys):
    from harness import cli

    write_results(tmp_path, [make_cell("3.10", "default", PASSED)])
    monkeypatch.setenv("SPLEETER_MATRIX_BROWSER", str(tmp_path / "no-such-chromium"))
    assert cli.main(["report", str(tmp_path), "--screenshot"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: no screenshot: no-such-chromium exited 127") and (tmp_path / "table.html").is_file()
    assert not (tmp_path / "table.png").exists()
