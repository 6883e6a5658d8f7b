"""The symbolic trace: the formula the code computes, proven equal to its variant, or the
wrong term localised; its honest limits; and what a forged trace can (not) do."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import spec
from checker import _trace
from checker._adapter import bind
from checker._session import Loader, Session

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"

ADAM = '''
import numpy as np

class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m, self.v, self.t = None, None, 0

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
'''


def run_trace(tmp_path, source: str, rule: str, name: str = "Adam", hypers=None, api=None):
    path = tmp_path / "optim.py"
    path.write_text(textwrap.dedent(source))
    r = spec.get(*rule.split("/"))
    with Session(Loader("file", name, path=str(path), api=api), timeout=10) as s:
        params = s.signature()
        adapter = bind(r, [{"name": p.name, "kind": p.kind,
                            "default": p.default if p.has_default else None} for p in params])
        values = dict(r.defaults, **(hypers or {}))
        return _trace.trace(s, r, adapter, values, s.api(), _trace.source_lines()).to_json()


def test_correct_adam_is_proven_for_every_input(tmp_path):
    t = run_trace(tmp_path, ADAM, "adam/algorithm1")
    assert t["status"] == "proven", t["message"]
    assert t["proven"] and t["symbolic_hyperparameters"]
    assert "proven: your update is adam/algorithm1 for steps 1-3, for every input" in t["message"]
    assert t["formulas"]["yours"] and t["formulas"]["spec"] == "W - lr*m_hat/(eps + sqrt(v_hat))"


def test_the_issues_example_v_hat_with_beta1_is_localised(tmp_path):
    bad = ADAM.replace("v_hat = self.v[k] / (1 - self.beta2", "v_hat = self.v[k] / (1 - self.beta1")
    t = run_trace(tmp_path, bad, "adam/algorithm1")
    d = t["difference"]
    assert t["status"] == "differs"
    assert (d["term"], d["yours"], d["spec"]) == ("v_hat", "v/(1 - beta1**t)", "v/(1 - beta2**t)")
    assert d["smallest"] == ["beta1", "beta2"]
    assert d["code"] == "v_hat = self.v[k] / (1 - self.beta1 ** self.t)"
    assert d["where"].endswith("optim.py:18")


@pytest.mark.parametrize("edit, term, says", [
    (("params[k] -= ", "params[k] += "), "W", "opposite sign"),
    (("(1 - self.beta1) * grads[k]\n", "(1 - self.beta1) * grads[k] ** 2\n"), "m",
     "yours has g**2 where the spec has g"),
    (("self.t += 1", "self.t = 1"), "t", "1 at every step"),
    (("np.sqrt(v_hat) + self.eps", "np.sqrt(v_hat + self.eps)"), "W",
     "yours has 1/sqrt(eps + v_hat) where the spec has 1/(eps + sqrt(v_hat))"),
    (("self.m[k] / (1 - self.beta1 ** self.t)", "self.m[k]"), "m_hat", "yours m, the spec"),
])
def test_a_wrong_term_is_named_in_the_specs_words(tmp_path, edit, term, says):
    t = run_trace(tmp_path, ADAM.replace(*edit), "adam/algorithm1")
    assert t["status"] == "differs", t["message"]
    assert t["difference"]["term"] == term, t["message"]
    assert says in t["message"]


def test_book_style_adam_with_a_literal_eps_and_math_sqrt_is_proven(tmp_path):
    book = '''
    import math
    import numpy as np

    class Adam:
        def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
            self.lr, self.beta1, self.beta2 = lr, beta1, beta2
            self.iter, self.m, self.v = 0, None, None

        def update(self, params, grads):
            if self.m is None:
                self.m, self.v = {}, {}
                for key, val in params.items():
                    self.m[key] = np.zeros_like(val)
                    self.v[key] = np.zeros_like(val)
            self.iter += 1
            lr_t = self.lr * math.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
            for key in params.keys():
                self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
                self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])
                params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
    '''
    t = run_trace(tmp_path, book, "adam/eps_hat", hypers={"eps": 1e-7})
    assert t["status"] == "proven", t["message"]
    assert t["symbolic_hyperparameters"]


def test_cs231n_and_booklist_apis_are_traced(tmp_path):
    cs = (ROOT / "tests" / "data" / "apis" / "cs231n_good.py").read_text()  # CS231n's functions
    t = run_trace(tmp_path, cs, "momentum/book", name="sgd_momentum")
    assert t["status"] == "proven", t["message"]
    booklist = '''
    import numpy as np

    class SGD:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            for i in range(len(params)):
                params[i] -= self.lr * grads[i]
    '''
    t = run_trace(tmp_path, booklist, "sgd/plain", name="SGD")
    assert t["status"] == "proven", t["message"]


@pytest.mark.parametrize("body, what", [
    ("params[k] -= self.lr * grads[k] / np.linalg.norm(grads[k])", "linalg.norm"),
    ("params[k] -= self.lr * grads[k] if float(grads[k].sum()) > 0 else 0", "float()"),
    ("params[k] -= self.lr * (grads[k] if (grads[k] > 0).all() else 2 * grads[k])",
     "np.logical_and"),
    ("params[k] -= self.lr * grads[k] if grads[k].sum() > 0 else 0", "a branch on a value"),
    # a comparison counted as a number (a step count per element, written by someone
    # else: the tracer once failed on it with a TypeError of SymPy's)
    ("params[k] -= self.lr * grads[k] * (grads[k] != 0)", "used as a number"),
])
def test_what_the_tracer_cannot_follow_is_named_with_its_line(tmp_path, body, what):
    source = f'''
    import numpy as np

    class SGD:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            for k in params:
                {body}
    '''
    t = run_trace(tmp_path, source, "sgd/plain", name="SGD")
    assert t["status"] == "stopped"
    assert what in t["message"], t["message"]
    assert t["stopped"]["line"] == 10 and t["stopped"]["code"] == body


def test_code_that_differs_only_where_the_gradient_is_zero_is_told_apart(tmp_path):
    # a lazy update (np.where(g != 0, ...)): at points with no zero gradient it agrees
    # everywhere, and the trace once said "the formula is right" of a lazy Adam
    source = """
    import numpy as np

    class SGD:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            for k in params:
                params[k] -= self.lr * np.where(grads[k] != 0, grads[k], 1.0)
    """
    t = run_trace(tmp_path, source, "sgd/plain", name="SGD")
    assert t["status"] == "differs", t["message"]


def test_a_branch_on_a_hyperparameter_is_an_assumption_not_a_stop(tmp_path):
    source = '''
    import numpy as np

    class Momentum:
        def __init__(self, lr=0.01, momentum=0.9):
            if lr <= 0 or not 0 <= momentum < 1:
                raise ValueError("bad hyperparameters")
            self.lr, self.momentum, self.v = lr, momentum, None

        def update(self, params, grads):
            if self.v is None:
                self.v = {k: np.zeros_like(p) for k, p in params.items()}
            for k in params:
                self.v[k] = self.momentum * self.v[k] - self.lr * grads[k]
                params[k] += self.v[k]
    '''
    t = run_trace(tmp_path, source, "momentum/book", name="Momentum")
    assert t["status"] == "proven", t["message"]
    assert any("lr" in a for a in t["assumptions"]), t["assumptions"]


# -- a forged trace: checked against the table, never evaluated as text ------------------

def _result(ops, after=None, **extra):
    after = after or [{"W": [0, 0], "b": [0]}] * _trace.STEPS
    return dict({"ops": ops, "after": after, "files": [], "assumptions": [], "symbolic": False,
                 "sentinels": {}}, **extra)


@pytest.mark.parametrize("ops", [
    [["sym", ["__import__('os').system('true')"], [-1, 0, 0, 0]]],
    [["sym", ["W:W:0"], [-1, 0, 0, 0]], ["eval", [0], [0, 1, 0, 1]]],
    [["sym", ["W:W:0"], [-1, 0, 0, 0]], ["add", [0, 5], [0, 1, 0, 1]]],
    [["sym", ["W:W:0"], [-1, 0, 0, 0]], ["add", [0, ["c", "nan"]], [0, 1, 0, 1]]],
    [["sym", ["W:W:0"], [-1, 0, 0, 0]], ["pow", [0, ["k", 10**9]], [0, 1, 0, 1]]],
    "not a list",
])
def test_a_forged_trace_is_malformed_not_run(ops):
    rule = spec.get("sgd", "plain")
    with pytest.raises(_trace._Malformed):
        _trace._parse(_result(ops), {"W:W:0", "W:W:1", "W:b:0"})


def test_the_checker_reports_the_trace_in_text_and_json(tmp_path):
    bad = ADAM.replace("v_hat = self.v[k] / (1 - self.beta2", "v_hat = self.v[k] / (1 - self.beta1")
    (tmp_path / "optim.py").write_text(bad)
    proc = subprocess.run([sys.executable, "-m", "checker", "optim.py:Adam", "--seed", "1",
                           "--profile", "quick", "--json", "r.json", "--quiet"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stderr
    assert "trace: your update differs from adam/algorithm1 in v_hat" in proc.stdout
    assert "yours: v/(1 - beta1**t)" in proc.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["trace"]["difference"]["term"] == "v_hat"
    assert report["trace"]["proven"] is False


# -- the corpus, against the independent answer key (a sample; benchmarks/trace.py: all) ----

KEY = tomllib.loads((ROOT / "tests" / "data" / "trace_key.toml").read_text())["entries"]


def _expected(name: str) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from detection import _expected as read  # the corpus' EXPECTED, without importing it
    return read(CORPUS / name)[0]


SAMPLE = sorted(n for n, e in KEY.items() if (CORPUS / n).exists() and e.get("traceable")
                and e["category"] in ("numeric-unnamed", "named-mistake")
                and not n.startswith(("outside_torch", "torch_", "contract_")))[::3]


@pytest.mark.parametrize("name", SAMPLE)
def test_a_wrong_corpus_formula_is_localised_as_the_key_says(name):
    e, exp = KEY[name], _expected(name)
    rule = spec.get(e["family"], e["variant"])
    values = dict(rule.defaults, **exp.get("inferred", {}))
    with Session(Loader("file", exp["class"], path=str(CORPUS / name), api=exp.get("api")),
                 timeout=10) as s:
        params = s.signature()
        adapter = bind(rule, [{"name": p.name, "kind": p.kind,
                               "default": p.default if p.has_default else None} for p in params])
        # as many steps as the checker's failing run would ask for (a schedule after 10)
        t = _trace.trace(s, rule, adapter, values, s.api(), steps=12).to_json()
    assert t["status"] == "differs", t["message"]
    assert t["difference"]["term"] in e["terms"], (t["message"], e["terms"], e["why"])


def test_a_target_that_forges_its_own_trace_gets_a_malformed_trace_and_its_verdict(tmp_path):
    hostile = '''
    import sys
    import numpy as np

    class SGD:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            tracer = sys.modules.get("_checker_tracer")
            if tracer is not None:  # inside the trace: forge an operation to be run as text
                tracer.REC.ops.append(["eval", ["__import__('os').system('touch pwned')"],
                                       [0, 0, 0, 0]])
                tracer.REC.nominal.append(0.0)
                tracer.REC.free.append(False)
            for k in params:
                params[k] += self.lr * grads[k]  # climbs: the numbers fail
    '''
    t = run_trace(tmp_path, hostile, "sgd/plain", name="SGD")
    assert t["status"] == "stopped", t["message"]
    assert "the worker's trace is malformed (operation 'eval')" in t["message"]
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
