"""The optax variants against real optax: every combination of every switch.

Each case builds the optimizer through ``optax.inject_hyperparams`` (flags as static
arguments), runs it on two parameters of different shapes, in float32 and in float64
(JAX's x64 mode, enabled for this process; ``inject_hyperparams`` casts the
hyperparameters to the parameters' dtype, so float32 stays float32), for 8 to 10 steps
of random gradients from a fixed seed, with the learning rate halved halfway through
``state.hyperparams["learning_rate"]``.  The parameters after every step are compared
with the oracle's trajectory by `spec.compare.compare` within `spec.bound`'s bound, as
``tests/test_torch_spec.py`` does for torch.  No jit: the calls run op by op, which is
what a user's eager loop does and costs no compilation per case.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import replace

import numpy as np
import pytest

import spec
from spec.compare import compare

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

#: each optax variant and the factory it transcribes
FACTORIES = {"sgd/optax": "sgd", "adam/optax": "adam", "adam/optax_amsgrad": "amsgrad",
             "adamw/optax": "adamw", "nadam/optax": "nadam", "rmsprop/optax": "rmsprop",
             "adagrad/optax": "adagrad", "adamax/optax": "adamax", "radam/optax": "radam",
             "adadelta/optax": "adadelta", "lion/optax": "lion"}
SHAPES = {"a": (3,), "b": (2, 2)}

#: per variant, the values each switch takes in the sweep (spec names; flags 0/1).
#: momentum 0 is passed as optax's own default, None.
SWEEP = {
    "sgd/optax": {"momentum": (0.0, 0.9), "nesterov": (0, 1)},
    "adam/optax": {"eps_root": (0.0, 1e-6), "nesterov": (0, 1)},
    "adam/optax_amsgrad": {"eps_root": (0.0, 1e-6), "bias_correction_mu": (0, 1),
                           "bias_correction_nu": (0, 1)},
    "adamw/optax": {"weight_decay": (0.0, 0.1), "nesterov": (0, 1)},
    "nadam/optax": {"eps_root": (0.0, 1e-6)},
    "rmsprop/optax": {"eps_in_sqrt": (0, 1), "centered": (0, 1), "momentum": (0.0, 0.9),
                      "nesterov": (0, 1), "bias_correction": (0, 1), "initial_scale": (0.0,)},
    "adagrad/optax": {"initial_accumulator_value": (0.0, 0.1)},
    "adamax/optax": {},
    "radam/optax": {"nesterov": (0, 1), "eps_root": (0.0, 1e-6)},
    "adadelta/optax": {"weight_decay": (0.0, 0.1)},
    "lion/optax": {"weight_decay": (0.0, 1e-3)},
}
#: learning rates large enough that the steps are not lost under the parameters
LR = {"sgd": 0.1, "rmsprop": 0.01, "adagrad": 0.1, "adadelta": 1.0, "lion": 0.01}
#: RAdam's rectified step starts at t = 6 with the default betas
STEPS = {"radam": 10}
#: keywords optax takes that the rules do not model: dtypes of the state, a mask
EXECUTION_ONLY = {"mu_dtype", "accumulator_dtype", "mask", "weight_decay_mask"}


def combinations(name):
    keys = list(SWEEP[name])
    for values in itertools.product(*SWEEP[name].values()):
        yield dict(zip(keys, values))


#: beyond the sweep: a non-zero initial_scale, with and without the centered correction
EXTRA = [("rmsprop/optax", {"initial_scale": 0.1}),
         ("rmsprop/optax", {"initial_scale": 0.1, "centered": 1, "bias_correction": 1,
                            "eps_in_sqrt": 0})]
CASES = [(n, v) for n in SWEEP for v in combinations(n)] + EXTRA


def _case_id(name, values):
    return name + "[" + ",".join(f"{k}={v:g}" for k, v in values.items()) + "]"


def factory(name):
    return getattr(optax, FACTORIES[name])


def optax_kwargs(rule, values):
    """optax's keyword arguments for spec hyperparameters (by name or alias); flags as
    bools, momentum 0 as None (optax's default, which skips the trace)."""
    signature = inspect.signature(factory(rule.name)).parameters
    out = {}
    for name, value in values.items():
        h = rule.hyper(name)
        keyword = next(k for k in (h.name, *h.aliases) if k in signature)
        if h.flag:
            value = bool(value)
        elif name == "momentum" and value == 0:
            value = None
        out[keyword] = value
    return out


def run_optax(name, kwargs, dtype, lrs, seed=0, scale=1.0):
    """Real optax: initial parameters, the gradients given, the parameters after each step."""
    rng = np.random.default_rng(seed)
    params = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    grads = [{k: (scale * rng.normal(size=s)).astype(dtype) for k, s in SHAPES.items()}
             for _ in lrs]
    static = [k for k, v in kwargs.items() if isinstance(v, bool) or v is None]
    opt = optax.inject_hyperparams(factory(name), static_args=static)(
        learning_rate=lrs[0], **kwargs)
    p = {k: jnp.asarray(v) for k, v in params.items()}
    state = opt.init(p)
    got = [{k: v.copy() for k, v in params.items()}]
    for lr, g in zip(lrs, grads):
        state.hyperparams["learning_rate"] = jnp.asarray(lr, dtype=dtype)
        updates, state = opt.update({k: jnp.asarray(v) for k, v in g.items()}, state, p)
        p = optax.apply_updates(p, updates)
        assert all(v.dtype == dtype for v in p.values())
        got.append({k: np.asarray(v).copy() for k, v in p.items()})
    return params, grads, got


def schedule(rule, steps):
    lr = LR.get(rule.family, rule.defaults["lr"])
    return [lr] * (steps // 2) + [lr / 2] * (steps - steps // 2)


def check(rule, values, dtype, seed=0, scale=1.0, steps=None):
    """The first mismatch between optax and ``rule`` (None if none)."""
    steps = steps or STEPS.get(rule.family, 8)
    lrs = schedule(rule, steps)
    params, grads, got = run_optax(rule.name, optax_kwargs(rule, values), dtype, lrs, seed,
                                   scale)
    traj = spec.Oracle(rule).run(params, grads, [dict(values, lr=lr) for lr in lrs],
                                 bounds=True)
    found = compare(traj, got, limit=1)
    return found[0] if found else None


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name, values", CASES, ids=[_case_id(n, v) for n, v in CASES])
def test_every_combination_of_switches_matches_optax(name, values, dtype):
    rule = spec.get(name)
    if rule.admits(values) is not None:  # refused by the spec as ill-conditioned
        if not values.get("initial_scale"):
            first_step_of_a_zero_variance(rule, values, dtype)
            return
        rule = replace(rule, constraints=())  # well away from 0 on these inputs
    mismatch = check(rule, values, dtype)
    assert mismatch is None, f"{rule.name} {values} {np.dtype(dtype).name}: {mismatch.describe()}"


def first_step_of_a_zero_variance(rule, values, dtype):
    """A combination the spec refuses (optax.rmsprop with centered and bias_correction,
    initial_scale 0): its exact first step divides by sqrt(0 + eps) (or 0 + eps); optax
    divides by whatever its rounding leaves of g^2 - g^2, so each element is NaN (a
    variance below -eps), a step of the right sign far smaller than the exact one (a
    positive remainder) or a little larger (a negative one above -eps): all three happen
    in the sweep."""
    assert rule.name == "rmsprop/optax" and values["centered"] and values["bias_correction"]
    lrs = schedule(rule, 2)
    params, grads, got = run_optax(rule.name, optax_kwargs(rule, values), dtype, lrs)
    eps = rule.defaults["eps"]
    floor = np.sqrt(eps) if values["eps_in_sqrt"] else eps
    for k in SHAPES:
        step = got[1][k].astype(np.float64) - params[k]
        exact = -lrs[0] * grads[0][k].astype(np.float64) / floor
        exact *= 1 + values["momentum"] * values["nesterov"]  # nesterov moves by u + mu u
        finite = np.isfinite(step)
        assert np.all(np.sign(step[finite]) == np.sign(exact[finite])), (k, step, exact)


def test_every_optax_variant_is_swept_with_every_switch():
    optax_rules = {r.name for r in spec.all_rules() if r.api == "optax"}
    assert optax_rules == set(SWEEP)
    for name, sweep in SWEEP.items():
        assert {h.name for h in spec.get(name).flags} <= set(sweep), name


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_defaults_equal_optax_signature(name):
    """Every keyword of the factory is a hyperparameter with optax's default, and back."""
    rule = spec.get(name)
    seen = set()
    fixed = getattr(factory(name), "keywords", {})  # optax.nadam is adam(nesterov=True)
    for keyword, p in inspect.signature(factory(name)).parameters.items():
        if keyword in EXECUTION_ONLY or keyword in fixed:
            continue
        h = next((h for h in rule.hypers if keyword in (h.name, *h.aliases)), None)
        assert h is not None, f"{name}: optax's {keyword!r} has no hyperparameter in the spec"
        seen.add(h.name)
        if p.default is inspect.Parameter.empty or p.default is None:
            continue  # required (learning_rate), or None: modelled as 0 (momentum)
        assert h.default == float(p.default), (name, keyword, h.default, p.default)
        assert h.flag == isinstance(p.default, bool), (name, keyword)
    assert seen == {h.name for h in rule.hypers}, name


# -- the comparison has teeth ----------------------------------------------------------
def test_a_learning_rate_change_the_oracle_misses_is_caught():
    rule = spec.get("adam/optax")
    lrs = schedule(rule, 8)
    _, grads, got = run_optax(rule.name, {}, np.float64, lrs)
    traj = spec.Oracle(rule).run(got[0], grads, [{"lr": lrs[0]}] * len(lrs), bounds=True)
    assert compare(traj, got, limit=1)


@pytest.mark.parametrize("name, other", [
    ("adam/optax", "adam/algorithm1"),      # the same numbers: a relation, proven
    ("adam/optax", "adam/eps_hat"),         # not these
    ("adagrad/optax", "adagrad/eps_outside"),
    ("rmsprop/optax", "rmsprop/eps_outside"),
])
def test_optax_defaults_against_a_book_variant(name, other):
    """optax's defaults, run for real, against a book-API variant with the same
    hyperparameters: Algorithm 1 passes, the others are told apart."""
    rule, book = spec.get(name), spec.get(other)
    lrs = schedule(rule, 8)
    _, grads, got = run_optax(name, {}, np.float64, lrs, scale=1e-3)
    shared = {h.name: rule.defaults[h.name] for h in book.hypers if h.name != "lr"}
    traj = spec.Oracle(book).run(got[0], grads, [dict(shared, lr=lr) for lr in lrs],
                                 bounds=True)
    agrees = not compare(traj, got, limit=1)
    assert agrees == (other == "adam/algorithm1"), (name, other)


def test_optax_adadelta_default_learning_rate_ascends():
    """optax.adadelta()'s default learning_rate=None drops scale_by_learning_rate, so
    the update keeps the gradient's sign: apply_updates climbs."""
    opt = optax.adadelta()
    p = {"w": jnp.asarray([1.0])}
    updates, _ = opt.update({"w": jnp.asarray([0.5])}, opt.init(p), p)
    assert float(updates["w"][0]) > 0


#: a configuration per variant where each switch changes the numbers
TEETH = {"sgd/optax": {"momentum": 0.9}, "adam/optax": {}, "adam/optax_amsgrad": {"beta2": 0.5},
         "adamw/optax": {}, "rmsprop/optax": {"momentum": 0.9}, "radam/optax": {}}
FLIPS = [(n, h.name) for n in TEETH for h in spec.get(n).flags]


@pytest.mark.parametrize("name, flag", FLIPS, ids=[f"{n}-{f}" for n, f in FLIPS])
def test_a_switch_the_oracle_gets_wrong_is_caught(name, flag):
    rule = spec.get(name)
    values = dict(TEETH[name])
    lrs = schedule(rule, STEPS.get(rule.family, 8))
    _, grads, got = run_optax(name, optax_kwargs(rule, values), np.float64, lrs)
    wrong = dict(values, **{flag: 1 - rule.defaults[flag]})
    assert rule.admits(wrong) is None
    traj = spec.Oracle(rule).run(got[0], grads, [dict(wrong, lr=lr) for lr in lrs], bounds=True)
    assert compare(traj, got, limit=1), f"{name}: {flag} flipped is not told apart"
