"""A class's folder of submissions built from the corpus, for grading tests and benchmarks.

Each corpus entry that defines ``SGD`` becomes a student's folder holding ``optim.py``;
a few submissions are added that only a batch meets: a misnamed class, a file that
does not parse, an empty folder, a notebook, and a file given directly in the folder.
`build` returns what each row must say.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"

# Entries a grading test can afford: fast, judged as SGD without options.
FAST = [
    "correct_sgd_book", "correct_sgd_chatty", "correct_sgd_learning_rate", "correct_sgd_out_buffer",
    "correct_sgd_returns_params", "correct_sgd_lr_snapshot", "booklist_sgd", "seed_001_sgd_fixed",
    "outside_book_sgd_typed", "outside_book_sgd_npsubtract_out",
    "mistake_sgd_gradient_ascent", "mistake_sgd_lr_twice", "mistake_sgd_silent_l2",
    "contract_sgd_adds_key", "contract_sgd_rebind", "contract_sgd_first_key_only",
    "contract_sgd_no_update", "contract_sgd_init_raises", "booklist_sgd_rebind", "seed_001_sgd",
    "hostile_sgd_closes_stdio", "hostile_sgd_fake_verdict", "hostile_sgd_frame_walker",
    "hostile_sgd_os_exit", "hostile_sgd_overwrites_report", "hostile_sgd_patches_comparisons",
    "hostile_sgd_sys_exit_import", "hostile_sgd_system_exit", "hostile_sgd_keyboard_interrupt",
    "hostile_sgd_memory_error",
]
# The rest of the SGD entries, for the benchmark (slower: hangs, huge allocations).
SLOW = ["hostile_sgd_sleep", "hostile_sgd_spin", "hostile_sgd_ignores_sigterm",
        "hostile_sgd_huge_alloc", "contract_sgd_casts_float64", "contract_sgd_empty_arrays",
        "contract_sgd_float32_arithmetic", "contract_sgd_loops_elements", "contract_sgd_matrix_only",
        "contract_sgd_noisy", "contract_sgd_nondeterministic", "contract_sgd_ravel",
        "correct_sgd_out_loop_variable", "booklist_sgd_zip", "outside_book_sgd_ellipsis",
        "outside_book_sgd_schedule"]


def expected_of(entry: str) -> dict:
    """The EXPECTED dict of a corpus entry, read without running it."""
    tree = ast.parse((CORPUS / f"{entry}.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPECTED" for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{entry} has no EXPECTED")


def build(dest: Path, entries=FAST) -> dict[str, dict]:
    """Write the folder; returns {submission: {"verdict": ..., "error": substring or None}}."""
    dest.mkdir(parents=True, exist_ok=True)
    want: dict[str, dict] = {}
    for entry in entries:
        folder = dest / entry
        folder.mkdir()
        shutil.copy(CORPUS / f"{entry}.py", folder / "optim.py")
        want[entry] = {"verdict": expected_of(entry)["verdict"], "error": None}
    book = (CORPUS / "correct_sgd_book.py").read_text(encoding="utf-8")
    (dest / "zz_misnamed").mkdir()
    (dest / "zz_misnamed" / "optim.py").write_text(book.replace("class SGD", "class SGDOptimizer"))
    want["zz_misnamed"] = {"verdict": "fail", "error": "SGDOptimizer"}
    (dest / "zz_syntax").mkdir()
    (dest / "zz_syntax" / "optim.py").write_text(
        "import numpy as np\n\nclass SGD:\n    def __init__(self, lr=0.01)\n        self.lr = lr\n")
    want["zz_syntax"] = {"verdict": "fail", "error": None}
    (dest / "zz_empty").mkdir()
    want["zz_empty"] = {"verdict": "fail", "error": "no .py"}
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": src} for src in ("import numpy as np\n", book.split('"""', 2)[-1])]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (dest / "zz_notebook").mkdir()
    (dest / "zz_notebook" / "work.ipynb").write_text(json.dumps(nb))
    want["zz_notebook"] = {"verdict": "pass", "error": None}
    shutil.copy(CORPUS / "mistake_sgd_gradient_ascent.py", dest / "zz_loose_file.py")
    want["zz_loose_file"] = {"verdict": "fail", "error": None}
    return want
