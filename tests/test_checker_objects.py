"""`check` on objects (a class from a module, a test file, a notebook's kernel), file
targets found from the caller's folder, and the report rendering itself."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import reference
from checker import UsageError, assert_conforms, check
from checker._objects import from_object

ROOT = Path(__file__).resolve().parents[1]


class Adam:  # the book's Adam, defined in a test file: loaded from its source, not imported
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class SGD:  # climbs the gradient
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] += self.lr * grads[key]


def test_a_class_from_an_importable_module_is_loaded_by_name():
    r = from_object(reference.Adam)
    assert r.target.kind == "module" and r.display == "reference.adam.Adam"
    assert r.root == str(ROOT)


def test_a_class_defined_in_a_test_file_is_cut_out_of_it_not_imported():
    r = from_object(Adam)
    assert r.target.kind == "file" and r.ext is not None
    assert "class Adam" in r.ext.source and "import numpy as np" in r.ext.source
    assert "def test_" not in r.ext.source  # the test file itself never runs in the worker


def test_check_passes_a_correct_class_object_and_str_is_the_report():
    report = check(Adam, seed=1, profile="quick")
    assert report.verdict == "pass", str(report)
    assert report.variant == "adam/eps_hat"
    text = str(report)
    assert text.splitlines()[0].startswith("checker: ") and "verdict: PASS" in text
    assert repr(report).startswith("<Report PASS ") and len(repr(report)) < 240


def test_assert_conforms_raises_with_the_whole_report():
    with pytest.raises(AssertionError) as info:
        assert_conforms(SGD, seed=2, profile="quick")
    message = str(info.value)
    assert message.startswith("checker: ") and "verdict: FAIL" in message
    assert "gradient ascent" in message and "reproduce:" in message


def test_a_failing_report_repr_names_what_failed():
    report = check(SGD, seed=2, profile="quick")
    assert report.verdict == "fail"
    assert "FAIL" in repr(report) and "agreement with the oracle" in repr(report)


def test_closures_lambdas_nested_classes_and_other_objects_are_usage_errors():
    def make():
        class Inner:
            def update(self, params, grads):
                pass
        return Inner

    class Outer:
        class Nested:
            pass

    with pytest.raises(UsageError, match="inside a function"):
        check(make(), rule="sgd")
    with pytest.raises(UsageError, match="lambda"):
        check(lambda w, dw, config=None: (w, config), rule="sgd")
    with pytest.raises(UsageError, match="inside a function|nested"):
        check(Outer.Nested, rule="sgd")
    with pytest.raises(UsageError, match="not int"):
        check(3)
    with pytest.raises(UsageError, match="add ':' and the class name"):
        check(Path("optim.py"))


def test_relative_files_are_taken_from_the_callers_folder_not_the_current_one(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # pytest started from another folder
    here = Path(__file__).parent
    target = os.path.relpath(ROOT / "tests" / "corpus" / "correct_sgd_book.py", here)
    report = check(f"{target}:SGD", seed=1, profile="quick")
    assert report.verdict == "pass"
    with pytest.raises(UsageError, match="check the path from " + str(here)):
        check("no_such_file.py:SGD")
    report = check("correct_sgd_book.py:SGD", root=ROOT / "tests" / "corpus", seed=1,
                   profile="quick")
    assert report.verdict == "pass"


def test_a_script_run_as_main_can_check_its_own_class(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent('''
        import numpy as np
        from checker import check

        class SGD:
            def __init__(self, lr=0.01):
                self.lr = lr
            def update(self, params, grads):
                for k in params:
                    params[k] -= self.lr * grads[k]

        if __name__ == "__main__":
            print(check(SGD, seed=1, profile="quick").verdict)
    '''))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "pass", out.stdout + out.stderr


def test_a_notebook_file_imports_its_sibling_modules_and_pythonpath(tmp_path):
    """As Jupyter does: the notebook's folder first on sys.path; and a package the user
    put on PYTHONPATH (which the worker's -I would drop) is importable from a file target."""
    import json
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "mylib_consts.py").write_text("LR = 0.01\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / "common_util.py").write_text("def step(p, g, lr):\n    p -= lr * g\n")
    cells = ["from common_util import step\nfrom mylib_consts import LR",
             "class SGD:\n    def __init__(self, lr=LR):\n        self.lr = lr\n"
             "    def update(self, params, grads):\n        for k in params:\n"
             "            step(params[k], grads[k], self.lr)\n"]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": c} for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (work / "hw.ipynb").write_text(json.dumps(nb))
    (work / "opt.py").write_text(cells[0] + "\n\n" + cells[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(lib)])}
    for name in ("hw.ipynb", "opt.py"):
        out = subprocess.run([sys.executable, "-m", "checker", f"{work / name}:SGD", "--profile",
                              "quick", "--seed", "1", "--quiet"], capture_output=True, text=True,
                             cwd=tmp_path, env=env, timeout=300)
        assert out.returncode == 0, (name, out.stdout[-2000:], out.stderr[-2000:])
