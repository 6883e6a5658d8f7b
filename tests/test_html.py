"""The HTML report: self-contained, the terminal report's words in its order, and plots whose
data come from the target (in the worker) and the spec's oracle."""

import os
import re
import shutil
import sys

import pytest

from checker import check
from checker._cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAILING = "tests/corpus/mistake_momentum_state_reset.py:Momentum"  # state lost every call


@pytest.fixture(scope="module")
def passing():
    return check("reference.SGD", seed=1, profile="quick", plots=True)


@pytest.fixture(scope="module")
def failing():
    return check(FAILING, seed=1, profile="quick", plots=True, root=ROOT)


def test_without_plots_asked_none_are_computed_and_the_json_has_none(passing):
    plain = check("reference.SGD", seed=1, profile="quick")
    assert plain.plots is None and "plots" not in plain.to_json()
    assert "<pre" in plain._repr_html_() and "<svg" not in plain._repr_html_()
    assert passing.to_json()["plots"]["path"]["lr"] == 0.95  # the book's SGD(lr=0.95)


def test_the_page_is_self_contained(failing):
    pytest.importorskip("matplotlib")
    page = failing.to_html()
    assert page.startswith("<!DOCTYPE html>") and 'name="viewport"' in page
    assert not re.search(r"https?://", page)
    assert not re.search(r"<script[^>]*\bsrc=", page) and "<link" not in page
    assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only the SVG's own ids


def test_the_terminal_reports_words_in_its_order(failing):
    pytest.importorskip("matplotlib")
    import html
    page = html.unescape(failing.to_html())
    text = str(failing)
    where = [page.index(text.splitlines()[0])]  # the header line
    for f in failing.findings:
        where.append(page.index(f.message.splitlines()[0], where[-1]))
        if f.status == "fail" and f.repro:
            where.append(page.index(f.repro, where[-1]))  # whole, as one block to copy
    where.append(page.index(f"verdict: {failing.verdict.upper()}", where[-1]))
    assert where == sorted(where)
    assert page.index("FAIL") < page.index("<svg")  # the verdict comes first
    for k, v in failing.hyperparameters.items():
        assert f"{k} = {v['value']!r}" in page


def test_the_paths_part_for_a_failing_target_and_coincide_for_a_passing_one(passing, failing):
    pytest.importorskip("matplotlib")
    good, bad = passing.plots["path"], failing.plots["path"]
    assert len(good["target"]) == len(good["oracle"]) == 31 and good["parts_at"] is None
    assert max(abs(a - b) for p, q in zip(good["target"], good["oracle"]) for a, b in zip(p, q)) < 1e-9
    assert bad["parts_at"] == 2 and bad["target"][:2] == bad["oracle"][:2]
    assert max(abs(a - b) for p, q in zip(bad["target"], bad["oracle"]) for a, b in zip(p, q)) > 1
    page = failing.to_html()
    assert page.count("<svg") == 3  # the path, the error, the state
    assert "<!-- step 2: leaves the oracle -->" in page  # matplotlib names its text paths
    assert "<svg" in passing.to_html() and "leaves the oracle" not in passing.to_html()


def test_the_error_line_crosses_the_band(failing):
    e = failing.plots["error"]
    k = e["crosses_at"]
    assert k == 2 and e["error"][0] <= e["allowed"][0] and e["error"][k - 1] > 1e6 * e["allowed"][k - 1]


def test_a_state_that_is_lost_shows_beside_the_oracles(failing):
    st = failing.plots["state"]  # self.v, reset at every call: momentum never builds up
    assert (st["attribute"], st["state"], st["parts_at"]) == ("v", "v", 2)
    assert st["target"][0] == st["oracle"][0] and abs(st["oracle"][-1]) > 10 * abs(st["target"][-1])


def test_html_from_the_command_line(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "report.html"
    assert main(["reference.SGD", "--seed", "1", "--profile", "quick", "--quiet",
                 "--html", str(out)]) == 0
    page = out.read_text()
    assert "<svg" in page and "verdict: PASS" in page
    assert "verdict: PASS" in capsys.readouterr().out  # the terminal report as ever


def test_without_matplotlib_html_is_misuse_in_one_line_and_jupyter_shows_text(
        monkeypatch, tmp_path, capsys, passing):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises
    assert main(["reference.SGD", "--html", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install" in err and "[report]" in err
    assert not (tmp_path / "r.html").exists()
    shown = passing._repr_html_()
    assert "<pre" in shown and "<svg" not in shown


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="needs Debian's chromium")
def test_a_failing_report_in_a_real_browser_at_phone_width(failing, tmp_path):
    pytest.importorskip("matplotlib")
    import importlib.util
    spec = importlib.util.spec_from_file_location("screenshot", os.path.join(ROOT, "docs", "screenshot.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    screenshot = module.screenshot
    page = tmp_path / "fail.html"
    page.write_text(failing.to_html())
    png = screenshot(page, tmp_path / "fail.png", width=390, height=900)
    from PIL import Image
    img = Image.open(png).convert("RGB")
    assert img.size == (390, 900)
    assert img.getpixel((12, 60)) == (0xcf, 0x22, 0x2e)  # the FAIL banner, drawn
    assert len(img.getcolors(maxcolors=1 << 16) or range(51)) > 50  # a page, not a blank


def test_the_progress_bar_redraws_in_place_and_gives_way_to_other_lines():
    import io
    from checker._cli import _Bar, _is_terminal
    out = io.StringIO()
    assert not _is_terminal(out)  # the command line draws no bar into a pipe or a file
    bar = _Bar(out)
    assert bar.show("searching for disagreement (300 examples)")
    assert bar.show("agreement: 150 examples")
    assert not bar.show("looking for a known mistake that explains the numbers")
    text = out.getvalue()
    assert "\r      [###############...............] 150/300 problems\n" in text
    assert text.count("\n") == 2  # the bar's line ends before the next message is printed
