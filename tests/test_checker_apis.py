"""The other API shapes: CS231n's functions, the book's second volume's lists, torch.optim.

Each target here is judged through `checker.check` (a real worker process each
time); the reproduction snippets are run in a fresh interpreter and must print the
very number the report quotes.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import checker
from warm_checker import check_warm

APIS = Path(__file__).parent / "data" / "apis"
HAS_TORCH = importlib.util.find_spec("torch") is not None


pytestmark = pytest.mark.usefixtures("warm_checks")


def _check(target: str, **kw) -> checker.Report:
    return check_warm(target, profile="quick", seed=0, **kw)


def _failing(report, prop: str | None = None):
    return [f for f in report.findings if f.status == "fail" and (prop is None or f.property == prop)]


@pytest.mark.parametrize("target, api", [
    ("cs231n_good.py:adam", "cs231n"),
    ("booklist.py:Adam", "booklist"),
    ("book_adam.py:Adam", "book"),
])
def test_the_api_is_recognised(target, api):
    assert _check(f"{APIS / target}").api == api


def test_api_option_overrides_recognition():
    # the list class called with dicts, as --api book demands: params[0] is a KeyError
    report = _check(f"{APIS / 'booklist.py'}:Adam", api="book")
    assert report.api == "book"
    assert report.failed_kinds() and set(report.failed_kinds()) <= {"crash"}


def test_unknown_api_is_misuse():
    proc = subprocess.run([sys.executable, "-m", "checker", f"{APIS / 'book_adam.py'}:Adam",
                           "--api", "tensorflow"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "--api" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name, variant", [("sgd", "sgd/plain"), ("sgd_momentum", "momentum/book"),
                                           ("rmsprop", "rmsprop/eps_outside"),
                                           ("adam", "adam/algorithm1")])
def test_cs231n_functions_pass_as_their_variant(name, variant):
    report = _check(f"{APIS / 'cs231n_good.py'}:{name}")
    assert report.verdict == "pass", [f.message for f in _failing(report)]
    assert report.variant == variant
    assert report.hyperparameters["lr"]["how"] == "config['learning_rate']"
    (d,) = [f for f in report.findings if f.property == "defaults without config"]
    assert d.status == "pass" and f"runs as {variant} with learning_rate = " in d.message


def test_cs231n_an_odd_default_in_the_function_body_is_a_warning(tmp_path):
    source = (APIS / "cs231n_good.py").read_text().replace('config.setdefault("beta2", 0.999)',
                                                           'config.setdefault("beta2", 0.99)')
    (tmp_path / "optim.py").write_text(source)
    report = _check(f"{tmp_path / 'optim.py'}:adam")
    assert report.verdict == "pass"
    assert report.defaults["beta2"]["value"] == 0.99
    assert any(f.kind == "defaults" and f.status == "warn" and "beta2 = 0.99" in f.message
               for f in report.findings)


def test_cs231n_a_setting_read_under_another_key_is_named():
    report = _check(f"{APIS / 'cs231n_bad.py'}:sgd_momentum")
    (f,) = _failing(report, "agreement with the oracle")
    assert "config['momentum'] = " in f.message and "is ignored" in f.message
    assert "momentum = 0.9, hard-coded" in f.message


def test_cs231n_a_velocity_never_stored_back_is_a_state_failure():
    report = _check(f"{APIS / 'cs231n_bad.py'}:sgd_momentum_forgets", rule="momentum")
    (f,) = _failing(report, "config carries the state")
    assert f.kind == "state" and "config['velocity'] is not stored back" in f.message


def test_cs231n_a_mutable_default_config_leaks_between_parameters():
    report = _check(f"{APIS / 'cs231n_bad.py'}:adam")
    (f,) = _failing(report, "called without config")
    assert f.kind == "state" and "mutable default" in f.message
    assert report.mistake["name"] == "t-used-before-advanced"


def test_cs231n_a_crash_without_config_is_reported():
    report = _check(f"{APIS / 'cs231n_bad.py'}:adam_no_none_check", rule="adam")
    (f,) = _failing(report, "called without config")
    assert f.kind == "crash" and "NoneType" in f.message


def test_booklist_the_books_second_volume_adam():
    report = _check(f"{APIS / 'booklist.py'}:Adam")
    assert report.verdict == "pass"
    assert (report.variant, report.hyperparameters["eps"]["value"]) == ("adam/eps_hat", 1e-7)


def test_booklist_rebinding_a_list_entry_is_not_in_place():
    report = _check(f"{APIS / 'booklist.py'}:SGD")
    assert report.failed_kinds() == ["inplace"]


def _repro_prints_the_reported_number(report, cwd: Path):
    (f,) = [f for f in _failing(report) if f.repro]
    proc = subprocess.run([sys.executable, "-c", f.repro], capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    got_line, expected_line = proc.stdout.strip().splitlines()[-2:]
    assert float(got_line.rsplit(" ", 1)[1]) == f.details["got_update"], (proc.stdout, f.details)
    assert float(expected_line.rsplit(" ", 1)[1]) == f.details["expected_update"]


@pytest.mark.parametrize("target", ["book_adam.py:Adam", "booklist.py:NoisySGD",
                                    "cs231n_bad.py:sgd_momentum"])
def test_the_reproduction_runs_through_the_targets_own_api(target, tmp_path):
    _repro_prints_the_reported_number(_check(f"{APIS / target}"), tmp_path)


# -- torch.optim ----------------------------------------------------------------------

needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed (pip install torch==2.13.0)")


@needs_torch
@pytest.mark.parametrize("name", ["SGD", "Adam", "RAdam"])
def test_torch_optim_passes_as_its_own_variant(name):
    # the other six run in the corpus (tests/corpus/torch_*_subclass.py), and every
    # flag combination of all nine below, through the worker without the CLI
    report = _check(f"torch.optim.{name}")
    assert report.api == "torch"
    assert report.verdict == "pass", [f.message for f in _failing(report)]
    assert report.variant == f"{report.rule}/torch"


@needs_torch
def test_torch_a_subclass_without_bias_correction_is_named(tmp_path):
    report = _check(f"{APIS / 'torch_opts.py'}:AdamNoCorrection")
    assert report.api == "torch"
    assert report.mistake is not None and report.mistake["name"] == "no-bias-correction"


@needs_torch
def test_torch_the_reproduction_runs(tmp_path):
    _repro_prints_the_reported_number(_check(f"{APIS / 'torch_opts.py'}:SGDNoisy"), tmp_path)


def _switch_values(rule):
    """Every flag off and on; each numeric switch torch branches on at its default and
    at a typical non-zero value (momentum = 0 skips SGD's buffer, for one)."""
    import itertools
    switches = {"momentum": 0.9, "dampening": 0.3, "weight_decay": 0.05, "lr_decay": 0.1,
                "initial_accumulator_value": 0.2}
    axes = [(h.name, (0.0, 1.0)) for h in rule.flags]
    axes += [(h.name, (h.default, v)) for h in rule.hypers for n, v in switches.items()
             if h.name == n and not h.flag]
    for values in itertools.product(*(v for _, v in axes)):
        hypers = dict(rule.defaults, **dict(zip((n for n, _ in axes), values)))
        if rule.admits(hypers) is None:
            yield hypers


@needs_torch
@pytest.mark.parametrize("name, family", [("SGD", "sgd"), ("Adam", "adam"), ("AdamW", "adamw"),
                                          ("RMSprop", "rmsprop"), ("Adagrad", "adagrad"),
                                          ("Adadelta", "adadelta"), ("Adamax", "adamax"),
                                          ("NAdam", "nadam"), ("RAdam", "radam")])
def test_torch_every_flag_combination_through_the_worker_is_its_variant(name, family,
                                                                      torch_template):
    import numpy as np

    import spec
    from checker._adapter import bind
    from checker._judge import check_against, fingerprint
    from checker._session import Loader, Session

    rule = spec.get(f"{family}/torch")
    rng = np.random.default_rng(7)
    session = Session(Loader("module", name, module="torch.optim", api="torch"), total_timeout=600,
                      template=torch_template)
    try:
        sig = session.signature()
        adapter = bind(rule, [{"name": p.name, "kind": p.kind,
                               "default": p.default if p.has_default else None} for p in sig])
        assert set(adapter.passed) == {h.name for h in rule.hypers}, adapter.bindings
        combos = list(_switch_values(rule))
        assert len(combos) >= 2 ** len(rule.flags)
        for i, hypers in enumerate(combos):
            dtype = ("float64", "float32")[i % 2]
            params = {"W": rng.normal(size=(3, 2)).astype(dtype), "b": rng.normal(size=4).astype(dtype)}
            grads = [{k: rng.normal(size=v.shape).astype(dtype) for k, v in params.items()}
                     for _ in range(8)]
            schedule = [hypers["lr"]] * 4 + [hypers["lr"] * 0.5] * 4
            traj = session.run(adapter.kwargs(hypers), params, grads, lr_schedule=schedule,
                               lr_attr="lr")
            mm = check_against(rule, hypers, traj, grads, schedule)
            assert mm is None, (hypers, dtype, mm.describe())
            if i % 4 == 0:  # and the fingerprint names it, without the lr change
                plain = session.run(adapter.kwargs(hypers), params, grads)
                (match,) = fingerprint(family, hypers, [], plain, grads, api="torch")
                assert match.ok and match.rule.name == f"{family}/torch", (hypers, match.mismatch)
    finally:
        session.close()
