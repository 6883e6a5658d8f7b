"""optax and Keras 3 as targets, judged like torch.optim: only against their own variants.

Each target runs through `checker.check` in a real worker (JAX's x64 mode and
``KERAS_BACKEND=jax`` set there).  A whole JAX verdict takes 15 to 35 s on two busy cores,
so the suite judges a few; every listed optimizer is judged when
``CHECKER_FRAMEWORK_SWEEP=1`` (about 6 minutes).  Every flag combination of every optax
and Keras optimizer is judged in the suite all the same, through the worker but without
the whole verdict (`test_every_flag_combination_through_the_worker_is_its_variant`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import checker
from warm_checker import check_warm

from test_checker_apis import _failing, _repro_prints_the_reported_number

pytest.importorskip("jax")
pytest.importorskip("optax")

APIS = Path(__file__).parent / "data" / "apis"
ROOT = Path(__file__).resolve().parent.parent
SWEEP = os.environ.get("CHECKER_FRAMEWORK_SWEEP") == "1"
sweep_only = pytest.mark.skipif(not SWEEP, reason="set CHECKER_FRAMEWORK_SWEEP=1 to judge every one")

OPTAX = {"adam": "adam/optax", "sgd": "sgd/optax", "rmsprop": "rmsprop/optax",
         "adagrad": "adagrad/optax", "adamw": "adamw/optax", "adamax": "adamax/optax",
         "nadam": "nadam/optax", "radam": "radam/optax", "amsgrad": "adam/optax_amsgrad",
         "adadelta": "adadelta/optax", "lion": "lion/optax"}
KERAS = {"Adam": "adam/keras", "SGD": "sgd/keras", "RMSprop": "rmsprop/keras",
         "Adagrad": "adagrad/keras3", "Adadelta": "adadelta/keras", "Adamax": "adamax/keras",
         "Nadam": "nadam/keras", "AdamW": "adamw/keras", "Lion": "lion/keras"}
ALWAYS = {"adam", "Adam"}


pytestmark = pytest.mark.usefixtures("warm_checks")


def _check(target: str, **kw) -> checker.Report:
    return check_warm(target, profile="quick", seed=0, **kw)


def _passes_as(report, variant: str, api: str) -> None:
    assert report.api == api
    assert report.verdict == "pass", [f.message for f in _failing(report)]
    assert report.variant == variant


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in ALWAYS else sweep_only)
                                  for n in OPTAX])
def test_optax_optimizer_passes_as_its_own_variant(name):
    _passes_as(_check(f"optax.{name}"), OPTAX[name], "optax")


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in ALWAYS else sweep_only)
                                  for n in KERAS])
def test_keras_optimizer_passes_as_its_own_variant(name):
    pytest.importorskip("keras")
    _passes_as(_check(f"keras.optimizers.{name}"), KERAS[name], "keras")


@sweep_only  # the climbing chain below is recognised as optax the same way
def test_optax_a_users_chain_is_recognised_and_passes():
    _passes_as(_check(f"{APIS / 'optax_chains.py'}:my_adam"), "adam/optax", "optax")


def test_optax_a_chain_that_climbs_is_named_and_reproduced(tmp_path):
    report = _check(f"{APIS / 'optax_chains.py'}:ascending_adam")
    assert report.api == "optax" and report.verdict == "fail"
    (f,) = _failing(report, "agreement with the oracle")
    assert "gradient ascent" in f.message and "closest variant: adam/optax" in f.message
    assert "opt.init(p)" in f.repro and "optax.apply_updates" in f.repro
    _repro_prints_the_reported_number(report, tmp_path)


def test_keras_a_subclass_that_climbs_is_named_and_reproduced(tmp_path):
    pytest.importorskip("keras")
    report = _check(f"{APIS / 'keras_opts.py'}:ClimbingSGD")
    assert report.api == "keras" and report.verdict == "fail"
    (f,) = _failing(report, "agreement with the oracle")
    assert "gradient ascent" in f.message and "closest variant: sgd/keras" in f.message
    assert "opt.apply_gradients" in f.repro
    _repro_prints_the_reported_number(report, tmp_path)


@pytest.mark.parametrize("api", ["optax", "keras"])
def test_framework_api_on_a_book_class_is_misuse(api):
    proc = subprocess.run([sys.executable, "-m", "checker", f"{APIS / 'book_adam.py'}:Adam",
                           "--api", api], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 2, proc.stderr
    assert f"--api {api}" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_missing_framework_names_the_extra_to_install(tmp_path):
    # a sibling optax.py that is "not installed" shadows the real one in the worker
    (tmp_path / "optax.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'optax'\", name='optax')\n")
    (tmp_path / "chain.py").write_text(
        "import optax\n\n\ndef my_sgd(learning_rate=0.1):\n    return optax.sgd(learning_rate)\n")
    proc = subprocess.run([sys.executable, "-m", "checker", f"{tmp_path / 'chain.py'}:my_sgd"],
                          capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"python -m checker: '{tmp_path / 'chain.py'}:my_sgd' needs optax, which is not "
        "installed; pip install -e '.[jax]'"]


# -- every flag combination through the worker -----------------------------------------
# The sweeps of tests/test_optax_spec.py and tests/test_keras_spec.py run the frameworks in
# this process; here every one of their combinations runs once more through the checker's
# own worker (sandbox, adapter, JAX's x64 mode, the learning rate set between steps), one
# worker per optimizer for all its combinations, float64 and float32 by turns, and the
# trajectory is judged by the checker's own `check_against`.

def _framework_cases(api: str):
    if api == "optax":
        import test_optax_spec as m
        names = m.FACTORIES
    else:
        pytest.importorskip("keras")
        import test_keras_spec as m
        names = m.CLASSES
    return m, names


#: one shape for both keys: JAX compiles each operation per shape and dtype, and a second
#: shape cost the Keras sweeps a third of their time (the spec sweeps use two)
SWEEP_SHAPES = {"W": (2, 3), "b": (2, 3)}


def _sweep_through_the_worker(api: str, variant: str, template) -> int:
    import numpy as np

    import spec
    from checker._adapter import bind
    from checker._judge import check_against
    from checker._session import Loader, Session

    m, names = _framework_cases(api)
    rule = spec.get(variant)
    module = "optax" if api == "optax" else "keras.optimizers"
    combos = [dict(rule.defaults, **v) for v in m.combinations(variant)]
    combos += [dict(rule.defaults, **v) for n, v in getattr(m, "EXTRA", ()) if n == variant]
    lr = m.LR.get(rule.family, rule.defaults["lr"])
    steps = getattr(m, "STEPS", {}).get(rule.family, 6)
    schedule = [lr] * (steps // 2) + [lr / 2] * (steps - steps // 2)
    rng = np.random.default_rng(11)
    session = Session(Loader("module", names[variant], module=module, api=api),
                      total_timeout=600, template=template)
    judged = 0
    try:
        sig = session.signature()
        adapter = bind(rule, [{"name": p.name, "kind": p.kind,
                               "default": p.default if p.has_default else None} for p in sig])
        assert set(adapter.passed) >= {h.name for h in rule.flags}, adapter.bindings
        for i, hypers in enumerate(combos):
            if rule.admits(hypers) is not None:  # never drawn by the checker either
                continue
            hypers["lr"] = lr
            dtype = ("float64", "float32")[i % 2]
            params = {k: rng.normal(size=s).astype(dtype) for k, s in SWEEP_SHAPES.items()}
            grads = [{k: rng.normal(size=s).astype(dtype) for k, s in SWEEP_SHAPES.items()}
                     for _ in range(steps)]
            traj = session.run(adapter.kwargs(hypers), params, grads, lr_schedule=schedule,
                               lr_attr="learning_rate")
            mm = check_against(rule, hypers, traj, grads, schedule)
            assert mm is None, (variant, hypers, dtype, mm.describe())
            judged += 1
    finally:
        session.close()
    return judged


def _variants(api: str):
    if api == "optax":
        from test_optax_spec import FACTORIES as names
    else:
        if not _has("keras"):
            return []
        try:  # skips itself where Keras runs on another backend: so do these
            from test_keras_spec import CLASSES as names
        except pytest.skip.Exception:
            return []
    return sorted(names)


def _has(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("api, variant", [("optax", v) for v in _variants("optax")]
                         + [("keras", v) for v in _variants("keras")])
def test_every_flag_combination_through_the_worker_is_its_variant(api, variant, jax_template):
    assert _sweep_through_the_worker(api, variant, jax_template) >= 1


UNTRACEABLE = '''\
import numpy as np
import optax


def numpy_adam(learning_rate=0.001):
    """optax.adam behind NumPy calls on the arrays: fine eagerly, not under jax.jit."""
    inner = optax.adam(learning_rate)

    def update(updates, state, params=None):
        updates = {k: np.asarray(v) for k, v in updates.items()}
        return inner.update(updates, state, params)

    return optax.GradientTransformation(inner.init, update)
'''


def test_optax_a_chain_jax_cannot_trace_runs_as_written(tmp_path, jax_template):
    # the worker compiles an optax update with jax.jit (once per tree of shapes); a chain
    # that cannot be traced is run eagerly, as its author runs it, and judged the same
    import numpy as np

    import spec
    from checker._judge import check_against
    from checker._session import Loader, Session

    (tmp_path / "chain.py").write_text(UNTRACEABLE)
    rule = spec.get("adam/optax")
    session = Session(Loader("file", "numpy_adam", path=str(tmp_path / "chain.py"),
                             api="optax"), total_timeout=300, template=jax_template)
    try:
        rng = np.random.default_rng(3)
        for dtype in ("float64", "float32"):
            params = {"W": rng.normal(size=(2, 3)).astype(dtype), "b": rng.normal(size=3).astype(dtype)}
            grads = [{k: rng.normal(size=v.shape).astype(dtype) for k, v in params.items()}
                     for _ in range(4)]
            schedule = [0.01, 0.01, 0.005, 0.005]
            traj = session.run({"learning_rate": 0.01}, params, grads, lr_schedule=schedule,
                               lr_attr="learning_rate")
            hypers = dict(rule.defaults, lr=0.01)
            mm = check_against(rule, hypers, traj, grads, schedule)
            assert mm is None, (dtype, mm.describe())
    finally:
        session.close()
