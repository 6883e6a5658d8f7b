"""checker._diagnose: each known mistake in the seeds is found, located and explained.

The checker's modules never run the code under test; these tests do, in-process,
to get real exceptions, and hand them over as the worker would.
"""

import collections
import dataclasses
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from checker._diagnose import Crash, Diagnosis, Frame, diagnose, static_warnings
from checker._extract import extract, read_py

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path


def run(ext, steps: int = 3) -> Crash | None:
    """Load the source, build the optimizer and update twice; the Crash, if any."""
    ns = {"__name__": "under_test"}
    try:
        exec(compile(ext.source, ext.filename, "exec"), ns)
        opt = ns[ext.class_name]()
        params = {"W": np.ones((2, 3)), "b": np.zeros(3)}
        grads = {"W": np.full((2, 3), 0.5), "b": np.array([0.1, -0.2, 0.3])}
        for _ in range(steps):
            opt.update(params, grads)
    except Exception as e:  # noqa: BLE001 - any failure of the code under test
        return Crash.from_exception(e, ext.filename)
    return None


def snippet(tmp_path: Path, code: str, name: str, suffix: str = ".txt"):
    path = tmp_path / f"snippet{suffix}"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return extract(f"{path}:{name}")


def bare(crash: Crash) -> Crash:
    """The crash without the runtime facts, as a worker that collects none would send it."""
    return Crash(crash.exc_type, crash.message, crash.frames, crash.lineno)


# -- the seeds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, name",
    [("000", "SGD"), ("000", "AdaGrad"), ("002", "SGD"), ("003", "SGD"), ("003", "Momentum"), ("003", "AdaGrad")],
)
def test_correct_seed_classes_run(prefix, name):
    ext = extract(f"{seed(prefix)}:{name}")
    assert run(ext) is None
    assert static_warnings(ext) == []


SEED_CASES = [
    # prefix, class, exception type, hint kind, words in the hint, line in the seed
    ("000", "Momentum", "AttributeError", "attribute-of-number",
     "`self.momentum` is a float (the `momentum` argument of `__init__`, default 0.9); "
     "did you mean `self.momentum * self.v[key]`?", 32),
    ("000", "Adam", "IndentationError", "no-body", "the class has no body", 60),
    ("001", "SGD", "NameError", "pseudo-code", "`self` used at class level: this is pseudo-code", 17),
    ("001", "Momentum", "NameError", "pseudo-code", "this is pseudo-code", 40),
    ("001", "AdaGrad", "NameError", "pseudo-code", "this is pseudo-code", 75),
    ("002", "Momentum", "NameError", "misspelled-name", "did you mean `params`?", 30),
    ("002", "AdaGrad", "AttributeError", "self-attribute-is-argument",
     "`self.grads` is never assigned; did you mean the argument `grads`?", 51),
    ("002", "RMSProp", "NameError", "missing-self", "did you mean `self.rho`?", 69),
    ("004", "AdaGrad", "TypeError", "in-none", "to test for None write `self.h is None`", 31),
    ("004", "RMSProp", "NameError", "class-level",
     "this line runs at class level, not inside `update`: it is indented less than the method's body; "
     "indent it into `update`", 62),
    ("004", "Adam", "SyntaxError", "double-dot", "`..` is not valid Python: did you mean `.`?", 99),
]


@pytest.mark.parametrize("prefix, name, exc_type, kind, words, line", SEED_CASES)
def test_seed_mistakes_are_explained(prefix, name, exc_type, kind, words, line):
    ext = extract(f"{seed(prefix)}:{name}")
    crash = run(ext)
    assert crash is not None and crash.exc_type == exc_type
    d = diagnose(crash, ext)
    assert (d.hint_kind, d.status, d.line, d.file) == (kind, "fail", line, str(ext.origin_path))
    assert words in d.hint
    original = ext.origin_path.read_text(encoding="utf-8").split("\n")
    assert d.source_line == original[line - 1].strip()
    assert d.exception.startswith(f"{exc_type}: ")
    # The hints come from the code, not from facts only a live worker could give.
    assert diagnose(bare(crash), ext) == d


def test_seed_000_adam_message_counts_lines_of_the_seed():
    ext = extract(f"{seed('000')}:Adam")
    d = diagnose(run(ext), ext)
    assert d.exception == "IndentationError: expected an indented block after class definition on line 60"


def test_seed_002_momentum_after_fixing_parmas_hits_the_dict_arithmetic(tmp_path):
    text = seed("002").read_text(encoding="utf-8").replace("for key in parmas.keys()", "for key in params.keys()")
    ext = snippet(tmp_path, text, "Momentum")
    crash = run(ext)
    assert crash.message == "unsupported operand type(s) for *: 'float' and 'dict'"
    d = diagnose(crash, ext)
    assert d.hint_kind == "dict-arithmetic"
    assert d.hint == "`self.v` is a dict of arrays, one per key; did you mean `self.v[key]`?"
    assert d.source_line == "self.v[key] = (self.momentum * self.v) - (self.lr * grads[key])"


def test_seed_004_adagrad_after_fixing_in_none_hits_the_none_state_then_parmas(tmp_path):
    text = seed("004").read_text(encoding="utf-8").replace("if self.h in None:", "if self.h is None:")
    ext = snippet(tmp_path, text, "AdaGrad")
    d = diagnose(run(ext), ext)
    assert d.hint_kind == "none-state" and "`self.h` is still None here" in d.hint
    fixed = text.replace("if self.h is None:\n", "if self.h is None:\n            self.h = {}\n")
    ext = snippet(tmp_path, fixed, "AdaGrad")
    d = diagnose(run(ext), ext)
    assert (d.hint_kind, d.hint, d.source_line.split("[")[0]) == ("misspelled-name", "did you mean `params`?", "parmas")


def test_seed_static_warnings():
    kinds = {
        (p, n): [(d.hint_kind, d.line) for d in static_warnings(extract(f"{seed(p)}:{n}"))]
        for p, n in [("001", "SGD"), ("001", "Momentum"), ("001", "AdaGrad"), ("004", "AdaGrad"), ("004", "RMSProp")]
    }
    assert kinds == {
        ("001", "SGD"): [("pseudo-code", 17)],
        ("001", "Momentum"): [("pseudo-code", 40), ("eq-none", 46)],
        ("001", "AdaGrad"): [("pseudo-code", 75), ("eq-none", 80)],
        ("004", "AdaGrad"): [("in-none", 31)],
        ("004", "RMSProp"): [("class-level", 62)],
    }
    (eq,) = [d for d in static_warnings(extract(f"{seed('001')}:Momentum")) if d.hint_kind == "eq-none"]
    assert eq.status == "warn" and eq.exception is None and eq.source_line == "if self.v == None:"
    assert eq.hint == ("`self.v == None` happens to work here but compares element-wise once v is an array; "
                       "write `self.v is None`")


def test_describe_has_one_shape():
    ext = extract(f"{seed('002')}:Momentum")
    assert diagnose(run(ext), ext).describe() == (
        f"{ext.origin_path}:30: for key in parmas.keys():\n"
        "  NameError: name 'parmas' is not defined\n"
        "  hint: did you mean `params`?"
    )


# -- snippets -------------------------------------------------------------------------


def test_missing_import_in_a_py_file(tmp_path):
    path = tmp_path / "opt.py"
    path.write_text("class SGD:\n    def update(self, params, grads):\n        params['W'] -= np.sign(grads['W'])\n")
    ext = read_py(f"{path}:SGD")
    d = diagnose(run(ext), ext)
    assert (d.hint_kind, d.hint, d.line) == ("missing-import", "add `import numpy as np` at the top of the file", 3)


def test_misspelled_self_attribute(tmp_path):
    ext = snippet(tmp_path, """
        class SGD:
            def __init__(self, lr=0.01):
                self.lr = lr
            def update(self, params, grads):
                for key in params:
                    params[key] -= self.lrr * grads[key]
        """, "SGD")
    d = diagnose(run(ext), ext)
    assert (d.hint_kind, d.hint) == ("misspelled-attribute", "`self.lrr` is never assigned; did you mean `self.lr`?")


def test_self_at_class_level_without_pseudo_code_markers(tmp_path):
    ext = snippet(tmp_path, "class SGD:\n    lr = 0.01\n    self.lr = lr\n", "SGD")
    d = diagnose(run(ext), ext)
    assert d.hint_kind == "class-level" and "move this line into a method such as `__init__`" in d.hint


def test_class_attribute_named_like_an_argument_is_no_warning(tmp_path):
    ext = snippet(tmp_path, "class SGD:\n    def __init__(self, lr=0.1):\n        self.lr = lr\n    lr = 0.01\n", "SGD")
    assert static_warnings(ext) == []


def test_not_equal_none_suggests_is_not(tmp_path):
    ext = snippet(tmp_path, "class A:\n    def f(self):\n        return None != self.v\n", "A")
    (d,) = static_warnings(ext)
    assert d.hint.endswith("write `self.v is not None`")


def test_crash_inside_numpy_is_reported_at_the_learners_line(tmp_path):
    ext = snippet(tmp_path, """
        import numpy as np
        class A:
            def update(self, params, grads):
                for key in params:
                    params[key] -= np.linalg.norm(grads[key], ord="nope")
        """, "A")
    crash = run(ext)
    assert "numpy" in crash.frames[-1].filename  # numpy raised, in its own Python code
    d = diagnose(crash, ext)
    assert d.line == 6 and d.source_line.startswith("params[key] -= np.linalg.norm")


def test_notebook_location_is_given_by_cell(tmp_path):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
                     "source": ["class A:\n", "    def update(self, params, grads):\n", "        parmas['W'] += 1\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb, indent=1))
    ext = extract(f"{path}:A")
    d = diagnose(run(ext), ext)
    assert d.detail == "cell 1, line 3" and d.hint == "did you mean `params`?"
    assert d.describe().startswith(f"{path}:{d.line} (cell 1, line 3): parmas['W'] += 1\n")


def test_crash_outside_the_learners_code_has_no_line():
    ext = extract(f"{seed('003')}:SGD")
    d = diagnose(Crash("KeyError", "'W'", [("/worker.py", 10, "main")]), ext)
    assert (d.line, d.source_line, d.exception, d.hint) == (None, "", "KeyError: 'W'", None)
    assert d.describe() == f"{ext.origin_path}: \n  KeyError: 'W'"


def test_crash_round_trips_through_json():
    ext = extract(f"{seed('000')}:Momentum")
    crash = run(ext)
    assert crash.self_types["momentum"] == "float" and "params" in crash.scope_names
    again = Crash(**json.loads(json.dumps(dataclasses.asdict(crash))))
    assert again == crash and isinstance(again.frames[0], Frame)


def test_worker_reports_are_accepted_as_they_come():
    ext = extract(f"{seed('000')}:Momentum")
    crash = run(ext)
    expected = diagnose(crash, ext)
    frames = [[f.filename, f.lineno, f.name, "source text"] for f in crash.frames]
    wire = {"type": crash.exc_type, "message": crash.message, "frames": frames,
            "locals": {n: "object" for n in crash.scope_names}, "self_attrs": dict(crash.self_types)}
    assert diagnose(wire, ext) == expected

    @dataclasses.dataclass
    class ErrorInfo:  # the shape of checker._isolation.ErrorInfo
        type_name: str
        message: str
        frames: tuple
        local_types: dict
        self_attrs: dict | None

    IFrame = collections.namedtuple("IFrame", "filename lineno function line")
    info = ErrorInfo(crash.exc_type, crash.message, tuple(IFrame(*f) for f in frames), wire["locals"], None)
    assert diagnose(info, ext) == expected


def test_worker_report_of_a_syntax_error():
    ext = extract(f"{seed('004')}:Adam")
    with pytest.raises(SyntaxError) as info:
        compile(ext.source, ext.filename, "exec")
    e = info.value
    # The worker appends the SyntaxError's own place as the last frame, and sends str(exc).
    wire = {"type": "SyntaxError", "message": str(e), "frames": [[e.filename, e.lineno, "<module>", e.text]]}
    d = diagnose(wire, ext)
    assert (d.line, d.exception, d.hint_kind) == (99, "SyntaxError: invalid syntax", "double-dot")


def test_syntax_error_message_loses_its_place_suffix(tmp_path):
    ext = snippet(tmp_path, "class A:\n    def f(self):\n        return self..x\n", "A")
    crash = Crash("SyntaxError", f"invalid syntax ({ext.filename}, line 3)", lineno=3)
    assert diagnose(crash, ext).exception == "SyntaxError: invalid syntax"


def test_inconsistent_indentation(tmp_path):
    ext = snippet(tmp_path, "class A:\n    def f(self):\n        x = 1\n      return x\n", "A")
    d = diagnose(run(ext), ext)
    assert d.hint_kind == "indentation" and d.line == 4


def test_nothing_under_test_is_executed(tmp_path):
    marker = tmp_path / "ran"
    ext = snippet(tmp_path, f"""
        class A:
            open({str(marker)!r}, "w").close()
            def update(self, params, grads):
                parmas[0] = 1
        """, "A")
    static_warnings(ext)
    diagnose(Crash("NameError", "name 'parmas' is not defined", [(ext.filename, 5, "update")]), ext)
    assert not marker.exists()


def test_diagnosis_is_plain_data():
    d = Diagnosis("f.py", 3, "x", "NameError: name 'x' is not defined", None, None)
    assert d.status == "fail" and d.describe() == "f.py:3: x\n  NameError: name 'x' is not defined"
