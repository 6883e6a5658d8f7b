"""``python -m checker grade``: a class's folder built from the corpus (correct, buggy,
hostile, misnamed, unparsable, empty, a notebook, a loose file), graded for real in
subprocesses, two submissions at a time through pytest-xdist."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grading_helpers import FAST, build

ROOT = Path(__file__).resolve().parents[1]

# the tests of the 35-submission grading fixture (module-scoped) share one xdist worker, so
# that it runs once; the other tests, each a grading of its own, go wherever there is room
GRADED = pytest.mark.xdist_group("grading")

# Gradescope's documented results.json fields (autograder specifications)
TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
       "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
        "output_format", "tags", "visibility", "extra_data"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def _checker(*args, cwd=ROOT, timeout=900):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)


def _valid_gradescope(data: dict) -> None:
    assert set(data) <= TOP, set(data) - TOP
    assert data["visibility"] in VISIBILITY and data["stdout_visibility"] in VISIBILITY
    assert isinstance(data["tests"], list) and data["tests"]
    for t in data["tests"]:
        assert set(t) <= TEST and {"name", "score", "max_score", "status"} <= set(t)
        assert t["status"] in ("passed", "failed") and t["visibility"] in VISIBILITY
        assert 0 <= t["score"] <= t["max_score"]
    assert data["score"] == pytest.approx(sum(t["score"] for t in data["tests"]))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("grading")
    want = build(base / "submissions", FAST)
    xdist = pytest.importorskip("xdist")
    del xdist
    out = _checker("grade", base / "submissions", "--name", "SGD", "--profile", "quick",
                   "--seed", 3, "--timeout", 2, "--jobs", 2, "--csv", base / "grades.csv",
                   "--json", base / "grades.json", "--junitxml", base / "grades.xml",
                   "--gradescope", cwd=base)
    return base, want, out


@GRADED
def test_every_submission_gets_the_expected_row(graded):
    base, want, out = graded
    assert out.returncode == 1, out.stdout + out.stderr  # some fail; the batch itself ran
    rows = {r["submission"]: r for r in csv.DictReader(open(base / "grades.csv"))}
    assert len(want) >= 30 and set(rows) == set(want), set(want) ^ set(rows)
    for name, expected in want.items():
        row = rows[name]
        assert row["verdict"] == expected["verdict"], (name, row)
        if expected["error"]:
            assert expected["error"] in row["error"], (name, row)
        assert float(row["score"]) <= float(row["max_score"]) == 100.0
        if row["verdict"] == "pass":
            assert float(row["score"]) == 100.0, row
    assert "SyntaxError" in rows["zz_syntax"]["first_failure"]  # the error, not only its line
    # targets are named from the submissions' folder: no grader's path shown to a student
    report = json.loads((base / "grades.json").read_text())
    targets = [r["report"]["target"] for r in report["submissions"] if "report" in r]
    assert "correct_sgd_book/optim.py:SGD" in targets and not any(t.startswith("/") for t in targets)


@GRADED
def test_the_terminal_shows_a_table_and_a_class_summary(graded):
    base, want, out = graded
    passing = sum(w["verdict"] == "pass" for w in want.values())
    assert f"summary: {passing} of {len(want)} pass" in out.stdout
    assert "matches sgd/plain with gradient ascent" in out.stdout
    assert "no class SGD in any file; optim.py defines SGDOptimizer" in out.stdout
    lines = [l for l in out.stdout.splitlines() if l.split()[:1] and l.split()[0] in want]
    assert len(lines) == len(want)
    assert "Traceback" not in out.stdout + out.stderr


@GRADED
def test_the_batch_survives_every_hostile_submission(graded):
    base, want, out = graded
    report = json.loads((base / "grades.json").read_text())
    assert report["seed"] == 3  # everyone judged on the same problems
    hostile = {r["submission"]: r for r in report["submissions"] if r["submission"].startswith("hostile")}
    assert len(hostile) == len([w for w in want if w.startswith("hostile")]) >= 10
    assert all(r["verdict"] == "fail" for r in hostile.values())
    # nothing the hostile submissions did reached the files the grader wrote
    assert "pass" not in {r["verdict"] for r in hostile.values()}
    assert not list(base.glob("*.pwned")) and not (base / "report.json").exists()


@GRADED
def test_gradescope_results_are_valid_per_submission(graded):
    base, want, out = graded
    files = sorted((base / "grades-gradescope").glob("*/results.json"))
    assert len(files) == len(want)
    for path in files:
        data = json.loads(path.read_text())
        _valid_gradescope(data)
        name = path.parent.name
        assert (data["score"] == 100) == (want[name]["verdict"] == "pass"), (name, data["score"])


@GRADED
def test_junit_xml_has_a_case_per_submission(graded):
    import xml.etree.ElementTree as ET
    base, want, out = graded
    cases = list(ET.parse(base / "grades.xml").getroot().iter("testcase"))
    assert {c.get("name") for c in cases} == set(want)
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {n for n, w in want.items() if w["verdict"] == "fail"}


def test_weights_from_toml_change_the_score(tmp_path):
    build(tmp_path / "subs", ["correct_sgd_book", "mistake_sgd_lr_twice"])
    (tmp_path / "w.toml").write_text("[weights]\nagreement = 0\nload = 60\n")
    out = _checker("grade", tmp_path / "subs", "--name", "SGD", "--profile", "quick", "--seed", 1,
                   "--weights", tmp_path / "w.toml", "--csv", tmp_path / "g.csv")
    rows = {r["submission"]: r for r in csv.DictReader(open(tmp_path / "g.csv"))}
    assert float(rows["correct_sgd_book"]["max_score"]) == 110.0  # 100 - 40 + (60 - 10)
    assert float(rows["correct_sgd_book"]["score"]) == 110.0
    assert float(rows["mistake_sgd_lr_twice"]["score"]) >= 60.0  # agreement costs nothing now


@pytest.mark.parametrize("args, message", [
    (["grade", "no_such_folder", "--name", "SGD"], "is not a folder"),
    (["grade", "."], "the following arguments are required: --name"),
    (["grade", ".", "--name", "SGD", "--jobs", "0"], "--jobs must be at least 1"),
    (["grade", ".", "--name", "SGD", "--gradescope"], "pass --csv PATH too"),
    (["grade", ".", "--name", "SGD", "--csv", "/no/such/folder/g.csv"], "no such folder"),
])
def test_misuse_is_one_line_and_exit_2(tmp_path, args, message):
    out = _checker(*args, cwd=tmp_path)
    assert out.returncode == 2 and message in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_unknown_weight_is_misuse(tmp_path):
    (tmp_path / "w.toml").write_text("[weights]\nagreemnt = 60\n")
    out = _checker("grade", tmp_path, "--name", "SGD", "--weights", tmp_path / "w.toml", cwd=tmp_path)
    assert out.returncode == 2 and "unknown property 'agreemnt'" in out.stderr


def test_a_single_target_writes_gradescope_results(tmp_path):
    out = _checker(ROOT / "tests/corpus/mistake_sgd_lr_twice.py:SGD", "--profile", "quick",
                   "--seed", 1, "--gradescope", tmp_path / "results.json", "--quiet")
    assert out.returncode == 1
    data = json.loads((tmp_path / "results.json").read_text())
    _valid_gradescope(data)
    assert 0 < data["score"] < 100 and "learning rate applied twice" in data["output"]
    # a misnamed class: still a results.json (score 0, the reason), and exit 2
    out = _checker(ROOT / "tests/corpus/mistake_sgd_lr_twice.py:Sgd", "--rule", "sgd",
                   "--gradescope", tmp_path / "r2.json", "--quiet")
    assert out.returncode == 2
    data = json.loads((tmp_path / "r2.json").read_text())
    _valid_gradescope(data)
    assert data["score"] == 0 and "did you mean SGD?" in data["output"]


def test_grading_through_pytest_with_a_relative_folder(tmp_path):
    """The README's `pytest --conformance-grade submissions/ ...`, from the folder above."""
    build(tmp_path / "subs", ["correct_sgd_book", "mistake_sgd_lr_twice"])
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "checker.pytest_plugin", "-p",
                          "no:cacheprovider", "--conformance-grade", "subs", "--conformance-name",
                          "SGD", "--conformance-profile", "quick", "--conformance-csv", "g.csv"],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    rows = {r["submission"]: r for r in csv.DictReader(open(tmp_path / "g.csv"))}
    assert rows["correct_sgd_book"]["verdict"] == "pass", out.stdout[-3000:]
    assert rows["mistake_sgd_lr_twice"]["mistake"].startswith("matches sgd/plain with the learning")
    assert rows["zz_misnamed"]["error"].startswith("no class SGD in any file")
    assert "summary: 2 of 7 pass" in out.stdout  # + misnamed, syntax, empty, notebook, loose
