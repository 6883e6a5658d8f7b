"""Optimizer conformance as pytest test items.

Registered as the ``conformance`` plugin (the ``pytest11`` entry point) when the
package is installed, and inert unless asked.  Three ways in:

``pytest --conformance mylib.optim:Adam [--conformance-rule adam] ...``
    one test item per property of the report (``load``, ``agreement``, ``lr_change``,
    ``in_place``, ``grads_untouched``, ``dtype``, ``deterministic``, ``state_keys``,
    ``state_instances``, ``api``), named ``conformance(mylib.optim:Adam)::agreement``
    so that ``-k agreement`` selects them.  The target runs once (one check, its own
    workers); the items report its findings, each failing with its finding and
    reproduction.

``test_adam = conformance("mylib.optim:Adam", rule="adam")`` in a test file
    the same items as one parametrized test function, ``test_adam[agreement]``, as
    Hypothesis' ``given`` turns a function into a test: for a suite that judges
    several optimizers, or a class defined in the test file (``conformance(Adam)``).

``pytest --conformance-grade SUBMISSIONS/ --conformance-name Adam``
    one item per submission, which is what ``python -m checker grade`` runs; spread
    over processes with pytest-xdist (``-n 4``), every submission judged with the same
    seed and problems.

``--conformance-xfails FILE`` marks the test ids it lists (one per line, ``#`` starts
a comment; an id matches a test whose id it equals or begins) as expected failures,
array-api-tests' convention, so a library can ship with known deviations and stay
green; an id that matches no test is reported.  The header names targets, rule,
profile and seed: ``--conformance-seed N`` reruns a failure exactly.
"""

from __future__ import annotations

import json
import os
import random
import warnings

import pytest

from ._items import ITEMS, outcome

__all__ = ["ConformanceWarning", "conformance"]

_SEED = pytest.StashKey[int]()
_XFAIL_HITS = pytest.StashKey[dict]()
_PROFILES = ("quick", "default", "thorough")


class ConformanceWarning(UserWarning):
    """A property that holds with a remark: a non-canonical variant, an unusual default."""


def pytest_addoption(parser):
    g = parser.getgroup("conformance", "optimizer conformance (python -m checker)")
    g.addoption("--conformance", action="append", default=[], metavar="TARGET",
                help="judge this optimizer (mylib.optim:Adam, path/to/optim.py:Adam, ...): one "
                     "test item per property; may be given several times")
    g.addoption("--conformance-rule", metavar="RULE", help="the rule (default: from the name)")
    g.addoption("--conformance-variant", metavar="VARIANT", help="demand this variant")
    g.addoption("--conformance-api", metavar="API", help="book, booklist, cs231n or torch")
    g.addoption("--conformance-profile", choices=_PROFILES, default=None,
                help="how hard to search (default: default)")
    g.addoption("--conformance-seed", type=int, default=None, metavar="N",
                help="the seed of every check (default: random, printed in the header)")
    g.addoption("--conformance-timeout", type=float, default=5.0, metavar="S",
                help="seconds each call of a target may take (default: 5)")
    g.addoption("--conformance-xfails", metavar="FILE",
                help="test ids expected to fail, one per line (# comments)")
    g.addoption("--conformance-grade", metavar="FOLDER",
                help="grade every submission in FOLDER (a subfolder or a file each)")
    g.addoption("--conformance-name", metavar="NAME", help="the class (or function) to grade")
    g.addoption("--conformance-file", metavar="FILE",
                help="the file holding it in each submission folder (default: searched)")
    g.addoption("--conformance-extract", action="store_true",
                help="take the class out of .py files without importing them")
    g.addoption("--conformance-csv", metavar="PATH", help="grading: one row per submission")
    g.addoption("--conformance-json", metavar="PATH", help="grading: every report")
    g.addoption("--conformance-gradescope", action="store_true",
                help="grading: a Gradescope results.json per submission, beside the CSV")
    g.addoption("--conformance-weights", metavar="TOML",
                help="grading: points per property ([weights] table; default out of 100)")


def _asked(config) -> bool:
    return bool(config.getoption("conformance") or config.getoption("conformance_grade"))


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): run these items in one process "
                                       "(pytest-xdist --dist loadgroup)")
    seed = config.getoption("conformance_seed")
    worker = getattr(config, "workerinput", None)
    if seed is None and worker is not None and "conformance_seed" in worker:
        seed = worker["conformance_seed"]
    config.stash[_SEED] = random.randrange(2**32) if seed is None else seed
    if config.getoption("conformance_grade"):
        if not config.getoption("conformance_name"):
            raise pytest.UsageError("--conformance-grade needs --conformance-name, the class "
                                    "(or function) every submission defines")
        from ._grade import GradeSession
        config.pluginmanager.register(GradeSession(config), "conformance-grade-session")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest-xdist: every worker uses the controller's seed, so all judge the same problems."""
    node.workerinput["conformance_seed"] = node.config.stash[_SEED]


def _options(config) -> dict:
    return {"rule": config.getoption("conformance_rule"),
            "variant": config.getoption("conformance_variant"),
            "api": config.getoption("conformance_api"),
            "profile": config.getoption("conformance_profile") or "default",
            "timeout": config.getoption("conformance_timeout"),
            "seed": config.stash[_SEED]}


def pytest_report_header(config):
    if not _asked(config):
        return None
    o = _options(config)
    what = ", ".join(config.getoption("conformance")) or (
        f"{config.getoption('conformance_name')} in each submission of "
        f"{config.getoption('conformance_grade')}")
    rule = f"rule {o['rule']}, " if o["rule"] else ""
    return [f"conformance: {what} ({rule}profile {o['profile']}, seed {o['seed']}); "
            f"rerun with --conformance-seed {o['seed']}"]


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect: our items are selectable
def pytest_collection_modifyitems(session, config, items):
    for target in config.getoption("conformance"):
        name = f"conformance({target})"  # no "[": JUnit XML would split the id there
        node = ConformanceTarget.from_parent(session, name=name, nodeid=name, target=target,
                                             options=_options(config),
                                             root=str(config.invocation_params.dir))
        items.extend(node.collect())
    if config.getoption("conformance_grade"):
        from ._grade import grade_items
        items.extend(grade_items(session, config, _options(config)))
    path = config.getoption("conformance_xfails")
    if path:
        _apply_xfails(config, path, items)


def _apply_xfails(config, path: str, items) -> None:
    try:
        with open(path, encoding="utf-8") as f:
            ids = [line.split("#", 1)[0].strip() for line in f]
    except OSError as e:
        raise pytest.UsageError(f"--conformance-xfails {path}: {e.strerror}; pass a readable "
                                f"file of test ids, one per line") from None
    hits = {i: 0 for i in ids if i}
    for item in items:
        for i in hits:
            if item.nodeid == i or item.nodeid.startswith(i):
                item.add_marker(pytest.mark.xfail(reason=f"listed in {path}", strict=False))
                hits[i] += 1
                break
    config.stash[_XFAIL_HITS] = hits


def pytest_terminal_summary(terminalreporter, config):
    hits = config.stash.get(_XFAIL_HITS, None)
    unused = [i for i, n in (hits or {}).items() if n == 0]
    if unused:
        terminalreporter.write_line(f"conformance: {len(unused)} id(s) in "
                                    f"{config.getoption('conformance_xfails')} match no test: "
                                    + ", ".join(unused), yellow=True)


# -- items ------------------------------------------------------------------------

def _settle(report, item: str) -> None:
    """Turn one item's outcome into pytest's: pass, fail with the finding, or skip."""
    __tracebackhide__ = True
    o = outcome(report, item)
    for w in o.warnings:
        warnings.warn(ConformanceWarning(w), stacklevel=2)
    if o.status == "failed":
        pytest.fail(o.message, pytrace=False)
    if o.status == "skipped":
        pytest.skip(o.message)


def _run_check(target, options: dict, root=None):
    """The report, or the one-line UsageError message for a target that cannot be judged."""
    from ._check import check
    from ._errors import UsageError
    try:
        return check(target, root=root, **options), None
    except UsageError as e:
        return None, str(e)


class ConformanceTarget(pytest.Collector):
    """One ``--conformance`` target: its items share one check, run on first use."""

    def __init__(self, *, target: str, options: dict, root: str, **kw):
        super().__init__(**kw)
        self.target, self.options, self.root = target, options, root
        self._result = None

    def collect(self):
        out = []
        for item, what, _ in ITEMS:
            node = ConformanceItem.from_parent(self, name=item, what=what)
            node.add_marker(pytest.mark.xdist_group(name=self.name))
            out.append(node)
        return out

    def result(self):
        if self._result is None:
            self._result = _run_check(self.target, self.options, root=self.root)
        return self._result


class ConformanceItem(pytest.Item):
    def __init__(self, *, what: str, **kw):
        super().__init__(**kw)
        self.what = what

    def runtest(self):
        report, error = self.parent.result()
        if error is not None:
            if self.name == "load":
                pytest.fail(f"conformance: {error}", pytrace=False)
            pytest.skip("not judged: the target could not be loaded (see load)")
        seed = report.seed
        self.user_properties.append(("conformance_seed", seed))
        _settle(report, self.name)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{self.name} ({self.what})"


# -- the test-file idiom ----------------------------------------------------------

_CACHE: dict = {}


def conformance(target, *, rule: str | None = None, variant: str | None = None,
                api: str | None = None, profile: str | None = None, seed: int | None = None,
                root: str | os.PathLike | None = None, **options):
    """A test function, parametrized by property, judging ``target`` once per session::

        from checker.pytest_plugin import conformance

        test_adam = conformance("mylib.optim:Adam", rule="adam")
        test_my_sgd = conformance(MySGD)                 # a class defined in this file

    gives ``test_adam[load]``, ``test_adam[agreement]``, ... .  ``profile`` and ``seed``
    default to ``--conformance-profile`` and ``--conformance-seed`` (the seed printed in
    pytest's header), a relative file path to this test file's folder; other keywords
    go to `checker.check`.
    """
    from ._objects import caller_folder
    folder = caller_folder() if root is None and isinstance(target, str) else root

    @pytest.mark.parametrize("conformance_property", [name for name, _, _ in ITEMS])
    def test_conformance(conformance_property, request):
        __tracebackhide__ = True
        config = request.config
        chosen = {"rule": rule, "variant": variant, "api": api, **options,
                  "profile": profile or config.getoption("conformance_profile", None) or "default",
                  "seed": seed if seed is not None else config.stash.get(_SEED, None)}
        if chosen["seed"] is None:  # the plugin is not registered (-p no:conformance)
            chosen["seed"] = config.stash.setdefault(_SEED, random.randrange(2**32))
        key = (id(test_conformance), json.dumps(chosen, sort_keys=True, default=str))
        if key not in _CACHE:
            _CACHE[key] = _run_check(target, chosen, root=folder)
        report, error = _CACHE[key]
        if error is not None:
            if conformance_property == "load":
                pytest.fail(f"conformance: {error}", pytrace=False)
            pytest.skip("not judged: the target could not be loaded (see load)")
        request.node.user_properties.append(("conformance_seed", report.seed))
        _settle(report, conformance_property)

    test_conformance.conformance_target = target
    return test_conformance
