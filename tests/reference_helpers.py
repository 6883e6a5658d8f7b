"""Running a reference optimizer and judging it against the oracle, for every family.

Every oracle comparison goes through `assert_matches_oracle`, so every failure
has one shape: the first mismatch (step, key, index, expected, got, ULPs) and a
snippet that reproduces it.  `run` checks the in-place contract at every step
of every run.
"""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import spec
from spec.compare import compare


def snapshot(params: dict) -> dict:
    """A copy of ``params`` (Python floats become 0-d float64 arrays)."""
    return {k: np.array(v, copy=True) for k, v in params.items()}


def step(opt, params: dict, grads: dict) -> None:
    """``opt.update(params, grads)``, asserting the in-place contract.

    The arrays in ``params`` stay the same objects, with their dtype and shape
    (a network's layers hold them); ``grads`` is not changed.
    """
    held = {k: (v, v.dtype, v.shape) for k, v in params.items() if isinstance(v, np.ndarray)}
    grads_before = snapshot(grads)
    opt.update(params, grads)
    for k, (v, dtype, shape) in held.items():
        assert params[k] is v, f"params[{k!r}] was rebound instead of updated in place"
        assert (v.dtype, v.shape) == (dtype, shape), f"params[{k!r}] changed dtype or shape"
    for k, g in grads.items():
        assert np.array_equal(np.asarray(g), grads_before[k]), f"grads[{k!r}] was changed"


def run(opt, params: dict, grads: list, lrs: list | None = None) -> list[dict]:
    """Update ``params`` once per dict of ``grads``; ``got[k]`` is a copy after step ``k``.

    ``lrs`` sets ``opt.lr`` before each step.
    """
    got = [snapshot(params)]
    for k, g in enumerate(grads):
        if lrs is not None:
            opt.lr = lrs[k]
        step(opt, params, g)
        got.append(snapshot(params))
    return got


def hypers_per_step(rule, kwargs: dict, lrs: list | None) -> dict | list[dict]:
    if lrs is None:
        return rule.resolve(kwargs)
    return [rule.resolve({**kwargs, "lr": lr}) for lr in lrs]


def mismatches(rule, params: dict, grads: list, hypers, got: list) -> list:
    traj = spec.Oracle(rule).run(params, grads, hypers, bounds=True)
    return compare(traj, got)


def assert_matches_oracle(cls, rule, problem, lrs: list | None = None) -> None:
    """``cls(**problem.kwargs)`` run on ``problem`` agrees with ``rule``'s oracle."""
    got = run(cls(**problem.kwargs), problem.fresh_params(), problem.grads, lrs)
    found = mismatches(rule, problem.params, problem.grads,
                       hypers_per_step(rule, problem.kwargs, lrs), got)
    assert not found, (f"{cls.__name__} disagrees with {rule.name} at {len(found)} element(s); "
                       f"first: {found[0].describe()}\n"
                       f"reproduce:\n{snippet(cls, rule, problem, lrs)}")


def assert_differs_from(cls, rule, problem, lrs: list | None = None) -> list:
    """``cls`` run on ``problem`` does NOT agree with ``rule``; the mismatches."""
    got = run(cls(**problem.kwargs), problem.fresh_params(), problem.grads, lrs)
    found = mismatches(rule, problem.params, problem.grads,
                       hypers_per_step(rule, problem.kwargs, lrs), got)
    assert found, (f"{cls.__name__} was expected to differ from {rule.name} here but matches it\n"
                   f"reproduce:\n{snippet(cls, rule, problem, lrs)}")
    return found


def _literal(value) -> str:
    if isinstance(value, float):
        return repr(float(value))
    a = np.asarray(value)
    return f"np.array({[float(x) for x in a.ravel()]!r}, np.{a.dtype.name}).reshape({a.shape})"


def snippet(cls, rule, problem, lrs: list | None = None) -> str:
    """Python that reruns ``problem`` and prints the first mismatch."""
    def dict_literal(d):
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in d.items()) + "}"

    grads = ",\n    ".join(dict_literal(g) for g in problem.grads)
    return "\n".join([
        "import numpy as np, spec, reference",
        "from spec.compare import compare",
        f"params = {dict_literal(problem.params)}",
        f"grads = [\n    {grads},\n]",
        f"kwargs = {problem.kwargs!r}",
        f"lrs = {lrs!r}",
        f"rule = spec.get({rule.family!r}, {rule.variant!r})",
        "hypers = rule.resolve(kwargs) if lrs is None else "
        "[rule.resolve({**kwargs, 'lr': lr}) for lr in lrs]",
        "traj = spec.Oracle(rule).run(params, grads, hypers, bounds=True)",
        f"opt = reference.{cls.__name__}(**kwargs)",
        "got = [{k: np.array(v, copy=True) for k, v in params.items()}]",
        "for i, g in enumerate(grads):",
        "    if lrs is not None:",
        "        opt.lr = lrs[i]",
        "    opt.update(params, g)",
        "    got.append({k: np.array(v, copy=True) for k, v in params.items()})",
        "print([m.describe() for m in compare(traj, got)][:1])",
    ])


# -- the contract every family shares ---------------------------------------------

def assert_defaults_are_the_spec_defaults(cls, rule) -> None:
    """The constructor's arguments are the rule's hyperparameters, with its defaults."""
    signature = inspect.signature(cls)
    assert {n: p.default for n, p in signature.parameters.items()} == rule.defaults


def assert_updates_in_place(cls) -> None:
    """Arrays change in place (0-d and float32 too); a Python float is rebound; grads stay."""
    params = {"W": np.array([[1.0, -2.0], [0.5, 3.0]]),
              "b": np.array([0.1, -0.1], dtype=np.float32),
              "s": np.array(2.0),
              "f": 1.5}
    grads = {"W": np.array([[0.5, -1.0], [2.0, 0.25]]),
             "b": np.array([1.0, -2.0], dtype=np.float32),
             "s": np.array(-0.75),
             "f": 0.5}
    opt = cls()
    for _ in range(3):
        before = snapshot(params)
        step(opt, params, grads)  # identity, dtype, shape, grads unchanged
        for k in params:
            assert not np.array_equal(np.asarray(params[k]), before[k]), f"{k} did not move"
        assert isinstance(params["f"], float)


def assert_state_is_per_instance(cls, problem) -> None:
    """Two instances updated in turn give exactly what each gives alone."""
    a, b = cls(**problem.kwargs), cls(**problem.kwargs)
    pa, pb = problem.fresh_params(), problem.fresh_params()
    other = [{k: -g for k, g in grads.items()} for grads in problem.grads]
    for ga, gb in zip(problem.grads, other):
        a.update(pa, ga)
        b.update(pb, gb)
    alone_a = run(cls(**problem.kwargs), problem.fresh_params(), problem.grads)[-1]
    alone_b = run(cls(**problem.kwargs), problem.fresh_params(), other)[-1]
    for k in pa:
        np.testing.assert_array_equal(np.asarray(pa[k]), alone_a[k], err_msg=k)
        np.testing.assert_array_equal(np.asarray(pb[k]), alone_b[k], err_msg=k)


def assert_late_key_gets_fresh_state(cls, rule, problem) -> None:
    """A key first passed in the 2nd call starts from zero state.

    Zero state that saw one zero gradient is still zero and left W unchanged
    (for every family, with eps > 0), so the oracle for that key is the oracle
    with a zero gradient at step 1; Adam's step counter still counts step 1.
    """
    late = list(problem.params)[-1]
    params = problem.fresh_params()
    held = params.pop(late)
    first = {k: g for k, g in problem.grads[0].items() if k != late}
    opt = cls(**problem.kwargs)
    step(opt, params, first)
    params[late] = held
    got = [snapshot(problem.params), {**snapshot(params), late: np.array(held, copy=True)}]
    got += run(opt, params, problem.grads[1:])[1:]
    grads = [{**problem.grads[0], late: np.zeros_like(problem.grads[0][late])},
             *problem.grads[1:]]
    found = mismatches(rule, problem.params, grads, rule.resolve(problem.kwargs), got)
    assert not found, (f"{cls.__name__}: key {late!r} first seen at call 2: "
                       f"{found[0].describe()}")


def bad_arguments(rule) -> list[tuple[str, object]]:
    """(argument, value) pairs each constructor must reject."""
    cases = []
    for h in rule.hypers:
        cases += [(h.name, -0.5), (h.name, float("nan")), (h.name, "fast"), (h.name, None)]
        cases += [(h.name, 1.0), (h.name, 1.5)] if h.domain.is_rate else [(h.name, float("inf"))]
    return cases + [("lr", True)]


def assert_rejects(cls, name: str, value) -> None:
    shown = repr(float(value)) if isinstance(value, float) else repr(value)
    with pytest.raises(ValueError, match=re.escape(f"{cls.__name__}: {name} = {shown} ")) as info:
        cls(**{name: value})
    message = str(info.value)
    assert "\n" not in message and "; pass " in message and message.endswith("(the default)")
