"""The Keras variants against real Keras 3 on the JAX backend: every combination of every switch.

Each case builds ``keras.optimizers.<Class>`` and calls ``apply_gradients`` on two
``keras.Variable``s of different shapes, in float32 and in float64 (JAX's x64 mode,
enabled for this process, and Keras' ``floatx`` set to the variables' dtype while the
optimizer is built, since Keras keeps its learning rate in ``floatx``), for 8 steps of
random gradients from a fixed seed, with the learning rate halved halfway through the
optimizer's ``learning_rate`` attribute.  The variables after every step are compared
with the oracle's trajectory by `spec.compare.compare` within `spec.bound`'s bound, as
``tests/test_torch_spec.py`` does for torch.  ``KERAS_BACKEND`` is set to ``jax`` before
Keras is imported, so no TensorFlow is needed.
"""

from __future__ import annotations

import inspect
import itertools
import os

import numpy as np
import pytest

import spec
from spec.compare import compare

os.environ.setdefault("KERAS_BACKEND", "jax")
jax = pytest.importorskip("jax")
keras = pytest.importorskip("keras")
if keras.backend.backend() != "jax":
    pytest.skip(f"Keras runs on {keras.backend.backend()}, not JAX", allow_module_level=True)
jax.config.update("jax_enable_x64", True)

#: each Keras variant and the class it transcribes
CLASSES = {"sgd/keras": "SGD", "adam/keras": "Adam", "adamw/keras": "AdamW",
           "rmsprop/keras": "RMSprop", "adagrad/keras3": "Adagrad",
           "adadelta/keras": "Adadelta", "adamax/keras": "Adamax", "nadam/keras": "Nadam",
           "lion/keras": "Lion"}
SHAPES = {"a": (3,), "b": (2, 2)}

#: per variant, the values each switch takes (spec names; flags 0/1); weight_decay 0 is
#: passed as Keras' own default, None
SWEEP = {
    "sgd/keras": {"momentum": (0.0, 0.9), "nesterov": (0, 1), "weight_decay": (0.0, 0.1)},
    "adam/keras": {"amsgrad": (0, 1), "weight_decay": (0.0, 0.1)},
    "adamw/keras": {"amsgrad": (0, 1), "weight_decay": (0.004, 0.1)},
    "rmsprop/keras": {"centered": (0, 1), "momentum": (0.0, 0.9), "weight_decay": (0.0, 0.1)},
    "adagrad/keras3": {"weight_decay": (0.0, 0.1)},
    "adadelta/keras": {"weight_decay": (0.0, 0.1)},
    "adamax/keras": {"weight_decay": (0.0, 0.1)},
    "nadam/keras": {"weight_decay": (0.0, 0.1)},
    "lion/keras": {"weight_decay": (0.0, 0.1)},
}
#: learning rates large enough that the steps are not lost under the parameters
LR = {"sgd": 0.1, "rmsprop": 0.01, "adagrad": 0.1, "adadelta": 1.0, "lion": 0.01}
#: keywords Keras takes that change how, not what, one step computes
EXECUTION_ONLY = {"clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum",
                  "ema_overwrite_frequency", "loss_scale_factor",
                  "gradient_accumulation_steps", "name", "kwargs", "self"}


def combinations(name):
    keys = list(SWEEP[name])
    for values in itertools.product(*SWEEP[name].values()):
        yield dict(zip(keys, values))


CASES = [(n, v) for n in SWEEP for v in combinations(n)]


def _case_id(name, values):
    return name + "[" + ",".join(f"{k}={v:g}" for k, v in values.items()) + "]"


def keras_class(name):
    return getattr(keras.optimizers, CLASSES[name])


def keras_kwargs(rule, values):
    """Keras' keyword arguments for spec hyperparameters (by name or alias)."""
    signature = inspect.signature(keras_class(rule.name).__init__).parameters
    out = {}
    for name, value in values.items():
        h = rule.hyper(name)
        keyword = next(k for k in (h.name, *h.aliases) if k in signature)
        if h.flag:
            value = bool(value)
        elif name == "weight_decay" and value == 0:
            value = None
        out[keyword] = float(value) if isinstance(value, (int, float)) and not h.flag else value
    return out


def run_keras(name, kwargs, dtype, lrs, seed=0, scale=1.0, floatx=None):
    """Real Keras: initial values, the gradients given, the variables after each step.
    ``floatx``: Keras' float type while the optimizer is built (the variables' by default)."""
    rng = np.random.default_rng(seed)
    params = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    grads = [{k: (scale * rng.normal(size=s)).astype(dtype) for k, s in SHAPES.items()}
             for _ in lrs]
    previous = keras.config.floatx()
    keras.config.set_floatx(floatx or np.dtype(dtype).name)
    try:
        variables = {k: keras.Variable(v, dtype=np.dtype(dtype).name, name=k)
                     for k, v in params.items()}
        opt = keras_class(name)(learning_rate=float(lrs[0]), **kwargs)
        got = [{k: v.copy() for k, v in params.items()}]
        for lr, g in zip(lrs, grads):
            opt.learning_rate = float(lr)
            opt.apply_gradients([(g[k], variables[k]) for k in SHAPES])
            got.append({k: np.asarray(v.value).copy() for k, v in variables.items()})
    finally:
        keras.config.set_floatx(previous)
    assert all(v.dtype == dtype for v in got[-1].values())
    return params, grads, got


def schedule(rule, steps=8):
    lr = LR.get(rule.family, rule.defaults["lr"])
    return [lr] * (steps // 2) + [lr / 2] * (steps - steps // 2)


def check(rule, values, dtype, seed=0, scale=1.0, steps=8):
    """The first mismatch between Keras and ``rule`` (None if none)."""
    lrs = schedule(rule, steps)
    params, grads, got = run_keras(rule.name, keras_kwargs(rule, values), dtype, lrs, seed,
                                   scale)
    traj = spec.Oracle(rule).run(params, grads, [dict(values, lr=lr) for lr in lrs],
                                 bounds=True)
    found = compare(traj, got, limit=1)
    return found[0] if found else None


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name, values", CASES, ids=[_case_id(n, v) for n, v in CASES])
def test_every_combination_of_switches_matches_keras(name, values, dtype):
    rule = spec.get(name)
    assert rule.admits(values) is None
    mismatch = check(rule, values, dtype)
    assert mismatch is None, f"{rule.name} {values} {np.dtype(dtype).name}: {mismatch.describe()}"


def test_every_keras_variant_is_swept_with_every_switch():
    keras_rules = {r.name for r in spec.all_rules() if r.api == "keras"}
    assert keras_rules == set(SWEEP)
    for name, sweep in SWEEP.items():
        assert {h.name for h in spec.get(name).flags} <= set(sweep), name


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_defaults_equal_keras_signature(name):
    """Every keyword of the constructor is a hyperparameter with Keras' default, and back."""
    rule = spec.get(name)
    seen = set()
    for keyword, p in inspect.signature(keras_class(name).__init__).parameters.items():
        if keyword in EXECUTION_ONLY:
            continue
        h = next((h for h in rule.hypers if keyword in (h.name, *h.aliases)), None)
        assert h is not None, f"{name}: Keras' {keyword!r} has no hyperparameter in the spec"
        seen.add(h.name)
        default = 0.0 if p.default is None else p.default  # weight_decay=None: no decay
        assert h.default == float(default), (name, keyword, h.default, p.default)
        assert h.flag == isinstance(p.default, bool), (name, keyword)
    assert seen == {h.name for h in rule.hypers}, name


# -- the comparison has teeth, and what Keras does that the others do not ---------------------
def test_a_learning_rate_change_the_oracle_misses_is_caught():
    rule = spec.get("adam/keras")
    lrs = schedule(rule)
    _, grads, got = run_keras(rule.name, {}, np.float64, lrs)
    traj = spec.Oracle(rule).run(got[0], grads, [{"lr": lrs[0]}] * len(lrs), bounds=True)
    assert compare(traj, got, limit=1)


def test_float64_variables_under_the_default_floatx_get_a_float32_learning_rate():
    """Keras keeps learning_rate in floatx (float32 by default): float64 variables then step
    with lr rounded to float32, which the float64 bound sees; with floatx float64 they pass."""
    rule = spec.get("sgd/keras")
    lrs = [0.1] * 4
    _, grads, got = run_keras(rule.name, {}, np.float64, lrs, floatx="float32")
    traj = spec.Oracle(rule).run(got[0], grads, [{"lr": lr} for lr in lrs], bounds=True)
    assert compare(traj, got, limit=1)
    rounded = float(np.float32(0.1))
    assert not compare(spec.Oracle(rule).run(got[0], grads, [{"lr": rounded}] * 4, bounds=True),
                       got, limit=1)


@pytest.mark.parametrize("name, other, agrees", [
    ("adam/keras", "adam/eps_hat", True),        # proven the same: keras-adam-eps-hat
    ("adam/keras", "adam/algorithm1", False),    # PyTorch's and optax's Adam is not Keras'
    ("rmsprop/keras", "rmsprop/eps_inside", True),
    ("rmsprop/keras", "rmsprop/eps_outside", False),
    ("adagrad/keras3", "adagrad/keras", False),  # tf.keras 2's epsilon outside the root
])
def test_keras_defaults_against_a_book_variant(name, other, agrees):
    rule, book = spec.get(name), spec.get(other)
    lrs = schedule(rule)
    _, grads, got = run_keras(name, {}, np.float64, lrs, scale=1e-3)
    shared = {h.name: rule.defaults[h.name] for h in book.hypers if h.name != "lr"}
    traj = spec.Oracle(book).run(got[0], grads, [dict(shared, lr=lr) for lr in lrs],
                                 bounds=True)
    assert (not compare(traj, got, limit=1)) == agrees, (name, other)


#: a configuration per variant where each switch changes the numbers (beta2 = 0.5 lets v
#: fall, so that AMSGrad's maximum matters)
TEETH = {"sgd/keras": {"momentum": 0.9}, "adam/keras": {"beta2": 0.5},
         "adamw/keras": {"beta2": 0.5}, "rmsprop/keras": {"momentum": 0.9}}
FLIPS = [(n, h.name) for n in TEETH for h in spec.get(n).flags]


@pytest.mark.parametrize("name, flag", FLIPS, ids=[f"{n}-{f}" for n, f in FLIPS])
def test_a_switch_the_oracle_gets_wrong_is_caught(name, flag):
    rule = spec.get(name)
    values = dict(TEETH[name])
    lrs = schedule(rule)
    _, grads, got = run_keras(name, keras_kwargs(rule, values), np.float64, lrs)
    wrong = dict(values, **{flag: 1 - rule.defaults[flag]})
    traj = spec.Oracle(rule).run(got[0], grads, [dict(wrong, lr=lr) for lr in lrs], bounds=True)
    assert compare(traj, got, limit=1), f"{name}: {flag} flipped is not told apart"
