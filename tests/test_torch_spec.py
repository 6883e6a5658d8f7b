"""The torch variants against real torch.optim: every combination of every switch.

Each case runs the real optimizer (``foreach=False``, the ``_single_tensor_*``
code the rules transcribe) on two parameters of different shapes, in float64
and in float32, for 8 to 10 steps of random gradients from a fixed seed, with
the learning rate changed halfway through ``param_groups[0]["lr"]``; the
parameters after every step are compared with the oracle's trajectory by
`spec.compare.compare`, update by update, within `spec.bound`'s bound: the
same calls the checker's ``check_against`` makes, with no tolerance of our own.
Combinations torch rejects are checked to be the ones `Rule.admits` rejects.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, strategies as st

import spec
from spec.compare import compare

torch = pytest.importorskip("torch")

CLASSES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop",
           "adagrad": "Adagrad", "adadelta": "Adadelta", "adamax": "Adamax", "nadam": "NAdam",
           "radam": "RAdam"}
SHAPES = {"a": (3,), "b": (2, 2)}

#: per family, the values each switch takes in the sweep (spec names; flags 0/1)
SWEEP = {
    "sgd": {"momentum": (0.0, 0.9), "dampening": (0.0, 0.3), "nesterov": (0, 1),
            "weight_decay": (0.0, 0.01), "maximize": (0, 1)},
    "adam": {"amsgrad": (0, 1), "weight_decay": (0.0, 0.1), "maximize": (0, 1),
             "decoupled_weight_decay": (0, 1)},
    "adamw": {"amsgrad": (0, 1), "weight_decay": (0.0, 1e-2), "maximize": (0, 1)},
    "rmsprop": {"centered": (0, 1), "momentum": (0.0, 0.9), "weight_decay": (0.0, 0.1),
                "maximize": (0, 1)},
    "adagrad": {"lr_decay": (0.0, 0.1), "initial_accumulator_value": (0.0, 0.1),
                "weight_decay": (0.0, 0.1), "maximize": (0, 1)},
    "adadelta": {"weight_decay": (0.0, 0.1), "maximize": (0, 1)},
    "adamax": {"weight_decay": (0.0, 0.1), "maximize": (0, 1)},
    "nadam": {"decoupled_weight_decay": (0, 1), "weight_decay": (0.0, 0.1), "maximize": (0, 1)},
    "radam": {"decoupled_weight_decay": (0, 1), "weight_decay": (0.0, 0.1), "maximize": (0, 1)},
}
#: learning rates large enough that the steps are not lost under the parameters
LR = {"sgd": 0.1, "rmsprop": 0.01, "adagrad": 0.1}
#: RAdam's rectified step starts at t = 6 with the default betas (rho_t = 4.996, 5.994)
STEPS = {"radam": 10}


def combinations(family):
    names = list(SWEEP[family])
    for values in itertools.product(*SWEEP[family].values()):
        yield dict(zip(names, values))


def _case_id(family, values):
    return family + "[" + ",".join(f"{k}={v:g}" for k, v in values.items()) + "]"


CASES = [(f, v) for f in SWEEP for v in combinations(f)]


def torch_kwargs(rule, values):
    """torch's keyword arguments for spec hyperparameters (by name or alias; betas)."""
    cls = getattr(torch.optim, CLASSES[rule.family])
    signature = inspect.signature(cls.__init__).parameters
    out = {}
    for name, value in values.items():
        h = rule.hyper(name)
        if name in ("beta1", "beta2"):
            betas = list(out.get("betas", (rule.defaults["beta1"], rule.defaults["beta2"])))
            betas[name == "beta2"] = value
            out["betas"] = tuple(betas)
            continue
        keyword = next(k for k in (h.name, *h.aliases) if k in signature)
        out[keyword] = bool(value) if h.flag else value
    return out


def run_torch(family, kwargs, dtype, lrs, seed=0, scale=1.0):
    """Real torch: initial parameters, the gradients given, the parameters after each step."""
    cls = getattr(torch.optim, CLASSES[family])
    rng = np.random.default_rng(seed)
    params = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    grads = [{k: (scale * rng.normal(size=s)).astype(dtype) for k, s in SHAPES.items()}
             for _ in lrs]
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    opt = cls(list(tensors.values()), foreach=False, **kwargs)
    got = [{k: v.copy() for k, v in params.items()}]
    for lr, g in zip(lrs, grads):
        opt.param_groups[0]["lr"] = lr  # torch reads lr at every step
        for k, t in tensors.items():
            t.grad = torch.tensor(g[k])
        opt.step()
        got.append({k: t.detach().numpy().copy() for k, t in tensors.items()})
    return params, grads, got


def schedule(rule, steps):
    lr = LR.get(rule.family, rule.defaults["lr"])
    return [lr] * (steps // 2) + [lr / 2] * (steps - steps // 2)


def check(rule, values, dtype, seed=0, scale=1.0, steps=None):
    """The first mismatch between torch and ``rule`` (None if none), as check_against finds it."""
    steps = steps or STEPS.get(rule.family, 8)
    lrs = schedule(rule, steps)
    params, grads, got = run_torch(rule.family, torch_kwargs(rule, values), dtype, lrs, seed,
                                   scale)
    traj = spec.Oracle(rule).run(params, grads, [dict(values, lr=lr) for lr in lrs],
                                 bounds=True)
    found = compare(traj, got, limit=1)
    return found[0] if found else None


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("family, values", CASES, ids=[_case_id(f, v) for f, v in CASES])
def test_every_combination_of_switches_matches_torch(family, values, dtype):
    rule = spec.get(family, "torch")
    cls = getattr(torch.optim, CLASSES[family])
    reason = rule.admits(values)
    if reason is not None:
        # torch rejects exactly what the spec rejects
        with pytest.raises(ValueError):
            cls([torch.zeros(1, requires_grad=True)], foreach=False,
                **torch_kwargs(rule, values))
        return
    mismatch = check(rule, values, dtype)
    assert mismatch is None, (f"{rule.name} {values} {np.dtype(dtype).name}: "
                              f"{mismatch.describe()}")


def test_the_sweep_covers_every_switch_and_rejects_some():
    for family, sweep in SWEEP.items():
        rule = spec.get(family, "torch")
        assert {h.name for h in rule.flags} <= set(sweep), family
    rejected = [v for v in combinations("sgd") if spec.get("sgd/torch").admits(v)]
    assert len(rejected) == 12  # nesterov without momentum, or with dampening


# -- the comparison has teeth ----------------------------------------------------------
#: a configuration per family where each switch changes the numbers
TEETH = {
    "sgd": {"momentum": 0.9, "weight_decay": 0.01},
    "adam": {"weight_decay": 0.1},
    "adamw": {},
    "rmsprop": {"momentum": 0.9, "weight_decay": 0.1},
    "adagrad": {"weight_decay": 0.1},
    "adadelta": {"weight_decay": 0.1},
    "adamax": {"weight_decay": 0.1},
    "nadam": {"weight_decay": 0.1},
    "radam": {"weight_decay": 0.1},
}
FLIPS = [(f, h.name) for f in TEETH for h in spec.get(f, "torch").flags]


@pytest.mark.parametrize("family, flag", FLIPS, ids=[f"{f}-{n}" for f, n in FLIPS])
def test_a_switch_the_oracle_gets_wrong_is_caught(family, flag):
    rule = spec.get(family, "torch")
    values = dict(TEETH[family])
    lrs = schedule(rule, STEPS.get(family, 8))
    _, grads, got = run_torch(family, torch_kwargs(rule, values), np.float64, lrs)
    wrong = dict(values, **{flag: 1})
    assert rule.admits(wrong) is None
    traj = spec.Oracle(rule).run(got[0], grads, [dict(wrong, lr=lr) for lr in lrs], bounds=True)
    assert compare(traj, got, limit=1), f"{rule.name}: {flag}=1 is not told from {flag}=0"


@pytest.mark.parametrize("family", sorted(SWEEP))
def test_a_learning_rate_change_the_oracle_misses_is_caught(family):
    rule = spec.get(family, "torch")
    lrs = schedule(rule, STEPS.get(family, 8))
    _, grads, got = run_torch(family, {}, np.float64, lrs)
    traj = spec.Oracle(rule).run(got[0], grads, [{"lr": lrs[0]}] * len(lrs), bounds=True)
    assert compare(traj, got, limit=1)


def test_nadam_float64_needs_the_float32_allowance_of_mu_product():
    """torch keeps mu_product in float32 (its default dtype) under float64 parameters:
    with that state marked as the parameter's dtype the float64 bound fails; with torch's
    default dtype float64 it passes either way."""
    rule = spec.get("nadam", "torch")
    plain = replace(rule, states=tuple(replace(s, dtype=None) for s in rule.states))
    assert check(rule, {}, np.float64) is None
    assert check(plain, {}, np.float64) is not None
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        assert check(plain, {}, np.float64) is None
        assert check(rule, {}, np.float64) is None
    finally:
        torch.set_default_dtype(previous)


# -- drawn hyperparameters ----------------------------------------------------------------
def _drawn(draw, rule):
    values = {}
    for h in rule.hypers:
        if h.name == "lr":
            continue
        if h.flag:
            values[h.name] = draw(st.sampled_from([0, 1]))
        elif h.name in ("weight_decay", "momentum", "dampening", "lr_decay",
                        "initial_accumulator_value"):
            values[h.name] = draw(st.one_of(st.just(0.0), st.floats(*h.typical)))
        else:
            values[h.name] = draw(st.floats(*h.typical))
    for h in rule.flags:
        if rule.admits(values) is not None:
            values[h.name] = 0
    return values


@pytest.mark.parametrize("family", sorted(SWEEP))
@given(data=st.data())
def test_drawn_hyperparameters_match_torch(family, data):
    rule = spec.get(family, "torch")
    values = _drawn(data.draw, rule)
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    seed = data.draw(st.integers(0, 2**16))
    scale = data.draw(st.sampled_from([1e-3, 1.0, 1e2]))
    mismatch = check(rule, values, dtype, seed, scale, steps=STEPS.get(family, 6))
    assert mismatch is None, f"{rule.name} {values} seed={seed}: {mismatch.describe()}"


# -- named mistakes on torch rules ----------------------------------------------------------
def _no_bias_subclass(base):
    """A torch.optim subclass that forgets Adam's bias correction (decoupled decay kept)."""
    class NoBias(base):
        @torch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                b1, b2 = group["betas"]
                for p in group["params"]:
                    state = self.state[p]
                    if not state:
                        state["m"], state["v"] = torch.zeros_like(p), torch.zeros_like(p)
                    if group["decoupled_weight_decay"] and group["weight_decay"]:
                        p.mul_(1 - group["lr"] * group["weight_decay"])
                    state["m"].lerp_(p.grad, 1 - b1)
                    state["v"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                    p.addcdiv_(state["m"], state["v"].sqrt().add_(group["eps"]),
                               value=-group["lr"])
    return NoBias


@pytest.mark.parametrize("family", ["adam", "adamw"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_a_torch_subclass_without_bias_correction_is_named(family, dtype, monkeypatch):
    from spec.mistakes import mistakes_for
    rule = spec.get(family, "torch")
    monkeypatch.setitem(CLASSES, family, "NoBias")
    monkeypatch.setattr(torch.optim, "NoBias",
                        _no_bias_subclass(getattr(torch.optim, "AdamW" if family == "adamw"
                                                  else "Adam")), raising=False)
    lrs = schedule(rule, 8)
    _, grads, got = run_torch(family, {}, dtype, lrs)
    hypers = [{"lr": lr} for lr in lrs]
    correct = spec.Oracle(rule).run(got[0], grads, hypers, bounds=True)
    assert compare(correct, got, limit=1)
    (mistaken,) = [r for m, r, d in mistakes_for(rule) if m.name == "no-bias-correction"]
    named = spec.Oracle(mistaken).run(got[0], grads, hypers, bounds=True)
    assert compare(named, got, limit=1, strict=True) == []
    # maximize is a hyperparameter, not the mistake of gradient ascent
    assert "maximize" not in {m.name for m, _, _ in mistakes_for(rule)}
