"""The suite's own assumption about pytest-xdist: ``--dist loadgroup`` keeps a group together.

`tests/test_corpus.py` deals its entries into xdist groups and runs, in each worker, only
the groups that worker is given; `tests/test_checker_cli.py` is one group.  If the groups
are not kept (pytest-xdist 3.8 with pytest 9.2, pytest-dev/pytest-xdist#1386), nothing
fails, but both workers run everything: the suite takes twice its CPU.  This makes that
loud.
"""

from __future__ import annotations

import pytest

pytest.importorskip("xdist")

pytest_plugins = ["pytester"]

GROUPED = """
import os
import pytest

@pytest.mark.parametrize("i", [pytest.param(i, marks=pytest.mark.xdist_group(f"g{i % 2}"))
                               for i in range(8)])
def test_grouped(i, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp().parent
    (folder / f"ran-{i}").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_loadgroup_runs_each_group_in_one_worker(pytester):
    pytester.makepyfile(test_grouped=GROUPED)
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "loadgroup",
                                           "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)
    ran = {}
    for path in pytester.path.rglob("ran-*"):
        ran[int(path.name.split("-")[1])] = path.read_text()
    assert sorted(ran) == list(range(8))
    workers = {g: {ran[i] for i in ran if i % 2 == g} for g in (0, 1)}
    assert all(len(w) == 1 for w in workers.values()), (
        f"--dist loadgroup split a group between workers: {workers}; with pytest "
        f"{pytest.__version__}, see pytest-dev/pytest-xdist#1386 and the pin in pyproject.toml")
