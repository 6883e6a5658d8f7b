"""checker._extract: TARGET parsing, and cutting a class out of notebooks and prose.

Run against the real seed documents (study notebooks exported as text, a blog post)
and against small snippets written here.
"""

import json
from pathlib import Path

import pytest

from checker._errors import UsageError
from checker._extract import Extracted, Target, extract, parse_target, read_py

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
NP_WARNING = "assumed `import numpy as np`"


def seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS}")
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_lines_map_back(ext: Extracted) -> None:
    """Every mapped line of the extract is that line of the original file."""
    original = ext.origin_path.read_text(encoding="utf-8").split("\n")
    lines = ext.source.splitlines()
    assert len(ext.line_map) == len(lines)
    for text, orig in zip(lines, ext.line_map):
        if orig is not None and not text.startswith(("import ", "from ")):
            assert original[orig - 1].strip() == text.strip()


# -- parse_target ---------------------------------------------------------------------


def test_dotted_path_is_a_module():
    assert parse_target("pkg.optim.Adam") == Target("module", None, "pkg.optim", "Adam", "pkg.optim.Adam")


def test_entry_point_style_is_a_module():
    t = parse_target("pkg.optim:Adam")
    assert (t.kind, t.module, t.class_name) == ("module", "pkg.optim", "Adam")


@pytest.mark.parametrize(
    "name, kind", [("opt.py", "file"), ("nb.ipynb", "notebook"), ("post.md", "text"), ("notes.txt", "text"), ("x.log", "text")]
)
def test_kind_follows_the_suffix(tmp_path, name, kind):
    path = write(tmp_path, name, "")
    t = parse_target(f"{path}:Adam")
    assert (t.kind, t.path, t.class_name) == (kind, path, "Adam")


@pytest.mark.parametrize(
    "target, words",
    [
        ("", "empty TARGET"),
        ("{f}", "names a file but not the class"),
        ("{f}:", "names no class"),
        ("{f}:Ad am", "not a class name"),
        ("{f}:1Adam", "not a class name"),
        ("Adam", "neither pkg.module.Name nor path:Name"),
        (":Adam", "no file"),
        ("{d}/missing.py:Adam", "no such file"),
        ("{d}:Adam", "is a directory"),
    ],
)
def test_bad_targets_name_the_problem_and_the_fix(tmp_path, target, words):
    f = write(tmp_path, "opt.py", "")
    with pytest.raises(UsageError, match=words) as info:
        parse_target(target.format(f=f, d=tmp_path))
    assert "\n" not in str(info.value)


def test_missing_text_file_is_a_usage_error_not_a_module(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        parse_target("post.md:Adam")


# -- the seeds ------------------------------------------------------------------------

ALL_SEED_CLASSES = [
    ("000", "SGD"), ("000", "Momentum"), ("000", "AdaGrad"), ("000", "Adam"),
    ("001", "SGD"), ("001", "Momentum"), ("001", "AdaGrad"),
    ("002", "SGD"), ("002", "Momentum"), ("002", "AdaGrad"), ("002", "RMSProp"),
    ("003", "SGD"), ("003", "Momentum"), ("003", "AdaGrad"),
    ("004", "AdaGrad"), ("004", "RMSProp"), ("004", "Adam"),
]


@pytest.mark.parametrize("prefix, name", ALL_SEED_CLASSES)
def test_every_seed_class_extracts_and_maps_back(prefix, name):
    ext = extract(f"{seed(prefix)}:{name}")
    assert ext.class_name == name
    assert f"class {name}" in ext.source
    assert_lines_map_back(ext)
    # Numpy is imported exactly when the class uses it, assumed only when not imported.
    uses_np = "np." in ext.source.split(f"class {name}", 1)[1]
    assert ("import numpy as np" in ext.source) == uses_np
    assert any(NP_WARNING in w for w in ext.warnings) == (uses_np and prefix != "003")


def test_seed_003_keeps_its_numpy_import_but_not_the_unused_torch():
    ext = extract(f"{seed('003')}:Momentum")
    assert ext.source.startswith("import numpy as np\n")
    assert "torch" not in ext.source
    assert ext.warnings == [] and ext.assumed_imports == []
    assert ext.line_map[0] == 4  # the import's own line in the notebook export


def test_seed_003_sgd_needs_no_import():
    ext = extract(f"{seed('003')}:SGD")
    assert ext.source.startswith("class SGD:")
    assert "import" not in ext.source


def test_assumed_import_is_marked_synthesized():
    ext = extract(f"{seed('002')}:Momentum")
    assert ext.assumed_imports == ["import numpy as np"]
    assert ext.line_map[0] is None
    assert "never imports it" in ext.warnings[0]


def test_seed_000_adam_keeps_a_class_with_no_body():
    ext = extract(f"{seed('000')}:Adam")
    assert ext.source == "class Adam:\n"
    assert ext.line_map == [60]
    with pytest.raises(IndentationError):
        compile(ext.source, ext.filename, "exec")


def test_seed_000_block_ends_at_the_next_cell_marker():
    ext = extract(f"{seed('000')}:SGD")
    assert "In [" not in ext.source
    assert ext.source.rstrip().endswith("params[key] -= self.lr * grads[key]")


def test_seed_001_pseudo_code_is_kept_as_is():
    ext = extract(f"{seed('001')}:Momentum")
    body = ext.source.split("class Momentum:\n", 1)[1]
    assert body.startswith("  ...\n  self.lr = lr\n  self.momentum = momentum\n")
    assert "if self.v == None:" in body
    assert "## AdaGrad" not in body  # the markdown after the cell ends the block
    compile(ext.source, ext.filename, "exec")  # it parses; it fails only when run


def test_seed_004_keeps_the_loop_dedented_out_of_update():
    ext = extract(f"{seed('004')}:RMSProp")
    assert "\n    for key in params.keys():\n            self.h[key] *= self.decay_rate\n" in ext.source
    assert "parmas[key] -=" in ext.source
    assert "Adam" not in ext.source  # the prose heading after the block ends it


def test_seed_004_adam_syntax_error_is_kept_and_np_found_by_word_scan():
    ext = extract(f"{seed('004')}:Adam")
    assert "params..keys()" in ext.source
    assert ext.assumed_imports == ["import numpy as np"]
    with pytest.raises(SyntaxError):
        compile(ext.source, ext.filename, "exec")


def test_unknown_class_lists_the_classes_found():
    with pytest.raises(UsageError) as info:
        extract(f"{seed('004')}:Adamm")
    assert str(info.value) == f"no class Adamm in {seed('004')}; it defines AdaGrad, RMSProp, Adam (did you mean Adam?)"


# -- snippets -------------------------------------------------------------------------

POST = """\
Here is my optimizer, after a lot of reading.

import numpy as np
import torch
from math import sqrt, pi
from collections import (
    OrderedDict,
    defaultdict,
)

def helper(x):
    return sqrt(x) + EPS_SCALE

def unused():
    return torch.zeros(1)

class Base:
    def zeros(self, params):
        return OrderedDict((k, np.zeros_like(v)) for k, v in params.items())

In [7]:
class Mine(Base):
    def update(self, params, grads):
# a comment at column 0 inside the class
        for key in params:
            params[key] -= helper(grads[key])

    # trailing comment, still in the class
# a column-0 comment after the class
That was it. class Other: is mentioned in prose.
"""


def test_helpers_and_used_imports_come_along_unused_ones_do_not(tmp_path):
    ext = extract(f"{write(tmp_path, 'post.md', POST)}:Mine")
    src = ext.source
    assert "import numpy as np" in src and "from math import sqrt, pi" in src
    assert "from collections import OrderedDict, defaultdict" in src  # joined onto one line
    assert "torch" not in src and "def unused" not in src
    assert src.index("def helper") < src.index("class Base") < src.index("class Mine")  # file order
    assert "# a comment at column 0 inside the class" in src
    assert "# trailing comment, still in the class" in src
    assert "after the class" not in src and "That was it" not in src
    assert ext.warnings == []
    assert_lines_map_back(ext)
    assert ext.line_map[src.splitlines().index("from collections import OrderedDict, defaultdict")] == 6
    compile(src, ext.filename, "exec")


def test_decorators_come_with_their_class_and_helpers(tmp_path):
    text = ("from dataclasses import dataclass\nimport functools\n\n@functools.cache\ndef eps():\n    return 1e-8\n\n"
            "@dataclass\nclass Opt:\n    lr: float = 0.1\n    def update(self, p, g):\n        p['w'] -= g['w'] + eps()\n")
    ext = extract(f"{write(tmp_path, 'd.md', text)}:Opt")
    assert ext.source == (
        "from dataclasses import dataclass\nimport functools\n\n@functools.cache\ndef eps():\n    return 1e-8\n\n"
        "@dataclass\nclass Opt:\n    lr: float = 0.1\n    def update(self, p, g):\n        p['w'] -= g['w'] + eps()\n"
    )
    assert ext.line_map == [1, 2, None, 4, 5, 6, None, 8, 9, 10, 11, 12]


def test_form_feed_does_not_shift_line_numbers(tmp_path):
    text = "class A:\n    x = 1\x0c\n    def f(self):\n        return y\n"
    ext = extract(f"{write(tmp_path, 'ff.txt', text)}:A")
    assert ext.lines[3].strip() == "return y" and ext.original_line(4) == 4


def test_indented_code_block_is_dedented(tmp_path):
    text = "Some prose:\n\n    class Sgd:\n        def update(self, p, g):\n            p -= g\n\nmore prose\n"
    ext = extract(f"{write(tmp_path, 'notes.txt', text)}:Sgd")
    assert ext.source == "class Sgd:\n    def update(self, p, g):\n        p -= g\n"
    assert ext.line_map == [3, 4, 5]


def test_tabs_are_kept(tmp_path):
    text = "class T:\n\tdef update(self, p, g):\n\t\tp['w'] -= math.sqrt(g['w'])\n"
    ext = extract(f"{write(tmp_path, 't.txt', text)}:T")
    assert "\tdef update(self, p, g):\n\t\tp['w']" in ext.source
    assert ext.assumed_imports == ["import math"]


def test_indented_notebook_marker_ends_the_block(tmp_path):
    text = "class A:\n    x = 1\n    In [2]:\n    y = 2\n"
    assert extract(f"{write(tmp_path, 'a.txt', text)}:A").source == "class A:\n    x = 1\n"


def test_redefined_class_uses_the_last_definition_and_warns(tmp_path):
    text = "class A:\n    x = 1\n\nclass A:\n    x = 2\n"
    ext = extract(f"{write(tmp_path, 'a.txt', text)}:A")
    assert ext.source == "class A:\n    x = 2\n"
    assert ext.warnings == ["class A is defined 2 times (line 1, line 4); using the last, line 4"]


def test_non_breaking_spaces_from_web_pages_are_replaced(tmp_path):
    text = "class A:\n\xa0\xa0\xa0\xa0def f(self):\n\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0return 1\n"
    ext = extract(f"{write(tmp_path, 'a.md', text)}:A")
    assert ext.source == "class A:\n    def f(self):\n        return 1\n"
    assert "non-breaking" in ext.warnings[0]


def test_py_file_whole_with_identity_map(tmp_path):
    path = write(tmp_path, "opt.py", "import numpy as np\n\nclass A:\n    pass\n")
    for ext in (read_py(f"{path}:A"), extract(f"{path}:A")):
        assert ext.source == path.read_text()
        assert ext.line_map == [1, 2, 3, 4]
        assert ext.filename == str(path)


def test_py_file_missing_class_lists_the_classes(tmp_path):
    path = write(tmp_path, "opt.py", "class SGD: pass\nclass Adam: pass\n")
    with pytest.raises(UsageError, match=r"no class Adma in .*opt.py; it defines SGD, Adam \(did you mean Adam\?\)"):
        read_py(f"{path}:Adma")


def test_py_file_with_a_syntax_error_still_finds_the_class(tmp_path):
    path = write(tmp_path, "opt.py", "class Adam:\n    def update(self, params, grads):\n        for k in params..keys(): pass\n")
    assert read_py(f"{path}:Adam").class_name == "Adam"
    with pytest.raises(UsageError, match="it defines Adam"):
        read_py(f"{path}:SGD")


def test_py_file_may_bind_the_name_by_import(tmp_path):
    path = write(tmp_path, "opt.py", "from somewhere import Adam\n")
    assert read_py(f"{path}:Adam").class_name == "Adam"


def test_extract_py_drops_heavy_module_level_code(tmp_path):
    text = "import numpy as np\nimport torch\n\nclass A:\n    def f(self):\n        return np.ones(1)\n\ntrain_for_hours()\n"
    ext = extract(f"{write(tmp_path, 'opt.py', text)}:A", extract_py=True)
    assert ext.source == "import numpy as np\n\nclass A:\n    def f(self):\n        return np.ones(1)\n"
    assert ext.line_map == [1, None, 4, 5, 6]


def test_module_target_cannot_be_extracted():
    with pytest.raises(UsageError, match="extraction needs a file"):
        extract("pkg.optim.Adam")


# -- notebooks ------------------------------------------------------------------------


def notebook(tmp_path: Path, cells: list, string_sources: bool = False) -> Path:
    def cell(kind, src):
        lines = src.splitlines(keepends=True)
        out = {"cell_type": kind, "metadata": {}, "source": src if string_sources else lines}
        if kind == "code":
            out |= {"execution_count": None, "outputs": [{"output_type": "stream", "name": "stdout", "text": lines}]}
        return out

    nb = {"cells": [cell(k, s) for k, s in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "study.ipynb"
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    return path


NB_CELLS = [
    ("code", "import numpy as np\nimport torch\n"),
    ("markdown", "# Momentum\nclass Fake:\n    pass\n"),
    ("code", "class Momentum:\n    def update(self, params, grads):\n        for k in params:\n            params[k] -= np.sign(grads[k])\n"),
    ("code", "m = Momentum()\n"),
]


def test_notebook_code_cells_only_with_cell_locations(tmp_path):
    path = notebook(tmp_path, NB_CELLS)
    ext = extract(f"{path}:Momentum")
    assert ext.source == "import numpy as np\n\n" + NB_CELLS[2][1]
    assert ext.cells == [(1, 1), None, (3, 1), (3, 2), (3, 3), (3, 4)]
    assert ext.cell_detail(4) == "cell 3, line 2"
    assert ext.where(4) == f"{path}:{ext.line_map[3]} (cell 3, line 2)" and ext.where(2) == str(path)
    raw = path.read_text(encoding="utf-8").split("\n")
    for text, orig in zip(ext.source.splitlines(), ext.line_map):
        if orig is not None:
            assert json.dumps(text + "\n", ensure_ascii=False) in raw[orig - 1]
    # The output copy of the source (which sorts before "source") is not taken for it.
    assert all("source" not in raw[o - 1] for o in ext.line_map if o) and ext.line_map[2] > ext.line_map[0]
    with pytest.raises(UsageError, match="it defines Momentum$"):  # not the markdown's Fake
        extract(f"{path}:Fake")


def test_notebook_with_string_sources(tmp_path):
    ext = extract(f"{notebook(tmp_path, NB_CELLS, string_sources=True)}:Momentum")
    assert ext.source == "import numpy as np\n\n" + NB_CELLS[2][1]
    assert len(set(ext.line_map[2:])) == 1  # one JSON string holds the whole cell


def test_invalid_notebook_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a notebook"):
        extract(f"{write(tmp_path, 'x.ipynb', '{not json')}:A")


def test_module_level_constants_the_class_uses_come_with_it(tmp_path):
    """EPS = 1e-7 above the class (the same cell, an earlier cell, a text's earlier block):
    without it a correct class fails with NameError."""
    path = tmp_path / "post.md"
    path.write_text(
        "```python\nimport numpy as np\nEPS = 1e-7\nUNUSED = 1\nCFG = {\n    'b': 0.9,\n}\n"
        "net = make_big_net()\n```\n\n"
        "```python\nclass SGD:\n    def update(self, params, grads):\n"
        "        for k in params:\n            params[k] -= CFG['b'] * grads[k] / (1 + EPS)\n"
        "EPS = 1e-8\n```\n")
    ext = extract(f"{path}:SGD")
    assert "CFG = {\n    'b': 0.9,\n}\n" in ext.source
    assert "EPS = 1e-8" in ext.source and "EPS = 1e-7" not in ext.source  # the last one wins
    assert "UNUSED" not in ext.source and "make_big_net" not in ext.source
    namespace: dict = {}
    exec(compile(ext.source, "x", "exec"), namespace)
    assert namespace["SGD"] and namespace["EPS"] == 1e-8
