"""The pytest plugin, tested with pytest's own ``pytester``: each run is a real pytest in a
subprocess with only this plugin loaded (entry points off, as a hermetic CI would)."""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
ITEMS = ["load", "agreement", "lr_change", "in_place", "grads_untouched", "dtype",
         "deterministic", "state_keys", "state_instances", "api"]


@pytest.fixture
def run(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    # the package importable in the subprocess whether or not it is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    pytester.makefile(".ini", pytest="[pytest]\n")  # no project configuration above it
    (pytester.path / "bad.py").write_text((CORPUS / "mistake_sgd_gradient_ascent.py").read_text())

    def runner(*args):
        return pytester.runpytest_subprocess("-p", "checker.pytest_plugin", "-p", "no:cacheprovider",
                                             "--conformance-profile", "quick", *args, timeout=600)
    return runner


def test_a_correct_target_gives_one_passing_item_per_property(run):
    result = run("--conformance", "reference.SGD", "--conformance-seed", "5", "-v")
    result.assert_outcomes(passed=len(ITEMS))
    for item in ITEMS:
        result.stdout.fnmatch_lines([f"*conformance(reference.SGD)::{item} PASSED*"])
    # the header names target, profile and seed, so CI failures can be rerun exactly
    result.stdout.fnmatch_lines(["conformance: reference.SGD (profile quick, seed 5); "
                                 "rerun with --conformance-seed 5"])


def test_a_buggy_target_fails_its_property_with_the_finding_and_reproduction(run):
    result = run("--conformance", "bad.py:SGD", "--conformance-seed", "1")
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == 1 and outcomes["passed"] >= 5
    out = result.stdout.str()
    assert "conformance(bad.py:SGD)::agreement" in out
    assert "gradient ascent" in out and "reproduce:" in out and "from bad import SGD" in out
    assert "rerun: python -m checker bad.py:SGD --rule sgd --seed 1 --profile quick" in out


def test_the_seed_is_random_but_printed(run):
    result = run("--conformance", "reference.SGD", "--collect-only")
    header = [l for l in result.stdout.lines if l.startswith("conformance:")]
    assert header and re.search(r"seed \d+\); rerun with --conformance-seed \d+", header[0])
    assert len([l for l in result.stdout.lines if "<ConformanceItem " in l]) == len(ITEMS)


def test_k_selects_items_by_property(run):
    result = run("--conformance", "bad.py:SGD", "-k", "in_place or dtype", "-v")
    result.assert_outcomes(passed=2, deselected=len(ITEMS) - 2)
    # a property the failure left unjudged is a skip with its reason, never a pass
    result = run("--conformance", "bad.py:SGD", "-k", "lr_change", "-rs")
    result.assert_outcomes(skipped=1, deselected=len(ITEMS) - 1)
    result.stdout.fnmatch_lines(["*not judged: agreement with the oracle failed first*"])


def test_junitxml_reports_every_item(run, pytester):
    run("--conformance", "bad.py:SGD", "--junitxml", "out.xml", "--conformance-seed", "2")
    root = ET.parse(pytester.path / "out.xml").getroot()
    cases = root.iter("testcase")
    names = {c.get("name"): c for c in cases}
    assert set(names) == set(ITEMS)
    failure = names["agreement"].find("failure")
    assert failure is not None and "gradient ascent" in (failure.text or "") + failure.get("message", "")
    props = {p.get("name"): p.get("value") for p in names["load"].iter("property")}
    assert props.get("conformance_seed") == "2"


def test_an_xfails_file_turns_known_deviations_green_and_reports_stale_ids(run, pytester):
    (pytester.path / "xfails.txt").write_text(
        "# known deviations of bad.py\n"
        "conformance(bad.py:SGD)::agreement   # ascends on purpose\n"
        "conformance(bad.py:SGD)::no_such_property\n")
    result = run("--conformance", "bad.py:SGD", "--conformance-xfails", "xfails.txt")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes["xfailed"] == 1
    assert result.ret == 0
    result.stdout.fnmatch_lines(["*1 id(s) in xfails.txt match no test: "
                                 "conformance(bad.py:SGD)::no_such_property*"])


def test_a_target_that_does_not_exist_fails_load_in_one_line(run):
    result = run("--conformance", "nosuchmodule.Adam")
    result.assert_outcomes(failed=1, skipped=len(ITEMS) - 1)
    result.stdout.fnmatch_lines(["*conformance: no module named 'nosuchmodule'*"])
    assert "Traceback" not in result.stdout.str()


def test_the_test_file_idiom_from_another_folder(run, pytester):
    tests = pytester.mkdir("tests")
    (tests / "bad_sgd.py").write_text((CORPUS / "mistake_sgd_gradient_ascent.py").read_text())
    (tests / "test_optimizers.py").write_text(
        "import numpy as np\n"
        "from checker.pytest_plugin import conformance\n\n"
        "class Momentum:\n"
        "    def __init__(self, lr=0.01, momentum=0.9):\n"
        "        self.lr, self.momentum, self.v = lr, momentum, None\n\n"
        "    def update(self, params, grads):\n"
        "        if self.v is None:\n"
        "            self.v = {k: np.zeros_like(v) for k, v in params.items()}\n"
        "        for k in params:\n"
        "            self.v[k] = self.momentum * self.v[k] - self.lr * grads[k]\n"
        "            params[k] += self.v[k]\n\n"
        "test_momentum = conformance(Momentum)\n"
        "test_sgd = conformance('bad_sgd.py:SGD', rule='sgd')\n")
    # pytest runs from the project's root, not tests/: the file target is found beside
    # the test file that names it
    result = run(str(tests / "test_optimizers.py"), "-v")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= len(ITEMS) + 5 and outcomes["failed"] == 1, result.stdout.str()
    result.stdout.fnmatch_lines(["*test_momentum?agreement? PASSED*",
                                 "*test_sgd?agreement? FAILED*"])


def test_the_plugin_is_registered_as_an_entry_point_when_installed():
    from importlib.metadata import entry_points
    found = [ep for ep in entry_points(group="pytest11") if ep.value == "checker.pytest_plugin"]
    if not found:
        pytest.skip("the package is not installed (pip install -e .): no entry points")
    assert found[0].name == "conformance"


def test_the_plugin_is_inert_and_cheap_until_asked():
    """Loaded in every pytest run of an installed package: it must not import SymPy, the
    spec or NumPy (seconds) before a conformance option is given."""
    import subprocess
    import sys
    code = ("import sys, checker.pytest_plugin; "
            "print(sorted(m for m in ('sympy', 'numpy', 'spec', 'checker._check') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
