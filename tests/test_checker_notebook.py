"""A learner's notebook, executed for real (nbclient, an IPython kernel): a class defined
in one cell, checked in the next, the report displayed under the cell."""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]

CELLS = [
    "import numpy as np\nfrom checker import check\nfrom myutils import MU  # beside the notebook",
    # the learner's helper in its own cell: the class uses it
    "def zeros_like_all(params):\n    return {k: np.zeros_like(v) for k, v in params.items()}",
    '''class Momentum:
    def __init__(self, lr=0.01, momentum=MU):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = zeros_like_all(params)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]''',
    "report = check(Momentum, seed=1, profile='quick')\nreport",
    "print(report.verdict, report.variant)",
    # the classic slip, redefined under the same name: the live definition is judged
    '''class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = zeros_like_all(params)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] -= self.v[key]''',
    "bad = check(Momentum, seed=1, profile='quick')\nprint(bad.verdict)\nprint(bad)",
    "bad",  # displayed: the HTML report, its paths parting
]


def test_check_on_a_class_defined_in_a_notebook_cell(tmp_path):
    (tmp_path / "myutils.py").write_text("MU = 0.9\n")  # a learner's module beside the notebook
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_path) if p)
    try:
        client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                         resources={"metadata": {"path": str(tmp_path)}})
        client.execute()
    finally:
        if env_path:
            os.environ["PYTHONPATH"] = env_path
        else:
            os.environ.pop("PYTHONPATH", None)
    shown = nb.cells[3].outputs[0]["data"]
    assert "verdict: PASS" in shown["text/html"] and "<pre" in shown["text/html"]
    assert "momentum/book" in shown["text/html"]
    # in a kernel check computes the plots by default, and the report shows them
    assert shown["text/html"].count("<svg") == 1  # the path, no error plot for a pass
    assert "the paths coincide" in shown["text/html"]
    failing = nb.cells[7].outputs[0]["data"]["text/html"]
    assert failing.count("<svg") == 2 and "leaves the oracle -->" in failing
    assert "verdict: FAIL" in failing and "http" not in failing
    assert nb.cells[4].outputs[0]["text"].split() == ["pass", "momentum/book"]
    text = nb.cells[6].outputs[0]["text"]
    assert text.splitlines()[0] == "fail"
    assert "checker: <notebook>:Momentum" in text and "verdict: FAIL" in text
    assert "cell 6" in text  # the failing line is found in the cell the learner wrote
