"""The Hypothesis search for disagreement: what it finds, and the bounds on shrinking it.

The target runs in this process, through a stand-in for the worker's session: these
tests are about the search, not the isolation."""

import time
from types import SimpleNamespace

import numpy as np
import pytest

import spec
from checker import _properties
from checker._judge import Match
from checker._properties import EVIDENCE, Context, agreement
from checker._session import Trajectory

SGD = spec.family("sgd").rule("plain")


class _SGD:
    """Plain SGD that, from call ``after + 1`` on, quietly takes a tenth of the step."""

    def __init__(self, lr, after=None):
        self.lr, self.after, self.calls = lr, after, 0

    def update(self, params, grads):
        self.calls += 1
        lr = self.lr * (0.1 if self.after is not None and self.calls > self.after else 1.0)
        for key in params:
            params[key] -= lr * grads[key]


class _InProcess:
    """What agreement needs of a Session, with the target run here."""

    def __init__(self, make):
        self.make, self.runs = make, 0

    def run(self, kwargs, params, grads, **_):
        self.runs += 1
        opt = self.make(**kwargs)
        current = {k: np.array(v, copy=True) for k, v in params.items()}
        traj = Trajectory(got=[{k: v.copy() for k, v in current.items()}])
        for g in grads:
            opt.update(current, g)
            traj.got.append({k: v.copy() for k, v in current.items()})
            traj.results.append(SimpleNamespace(rebound_keys=(), removed_keys=(), added_keys=(),
                                                grads_mutated={}))
        return traj


def _context(make, max_examples=20, seed=0):
    return Context(_InProcess(make), "sgd", lambda hypers: dict(hypers), ["lr"],
                   [Match(SGD, dict(SGD.defaults))], seed, max_examples,
                   time.monotonic() + 600)


def test_a_correct_target_passes_every_drawn_problem():
    out = agreement(_context(lambda lr: _SGD(lr)), SGD)
    assert out.failure is None and out.stopped is None
    assert out.examples == 20 and not out.failures


def test_a_schedule_hidden_until_call_11_is_found_and_shrunk_to_a_short_long_run():
    ctx = _context(lambda lr: _SGD(lr, after=10))
    out = agreement(ctx, SGD)
    assert out.failure is not None
    problem, results, _ = out.failure
    assert problem.steps >= 11
    assert not any(r.ok for r in results)
    # the smallest failing problem seen is the one reported, and it is among the evidence
    assert problem.size_key() == min(p.size_key() for p, _, _ in out.failures)
    assert any(p is problem for p, _, _ in out.failures)


def test_shrinking_stops_after_the_call_budget(monkeypatch):
    monkeypatch.setattr(_properties, "SHRINK_CALLS", 3)
    ctx = _context(lambda lr: _SGD(lr, after=10))
    out = agreement(ctx, SGD)
    assert out.failure is not None
    assert out.examples - out.examples_to_failure <= 3
    assert ctx.session.runs == out.examples


def test_shrinking_stops_when_the_time_budget_is_spent(monkeypatch):
    """With no time at all to shrink, the first failure found is the answer."""
    monkeypatch.setattr(_properties, "SHRINK_SECONDS", 0.0)
    out = agreement(_context(lambda lr: _SGD(lr, after=10)), SGD)
    assert out.failure is not None
    assert out.examples == out.examples_to_failure
    assert out.failures[0][0] is out.failure[0]


def test_the_evidence_kept_for_explanations_is_bounded():
    out = agreement(_context(lambda lr: _SGD(lr, after=0)), SGD)  # fails on every problem
    assert out.failure is not None
    assert 1 < len(out.failures) <= EVIDENCE


@pytest.mark.parametrize("seed", [0, 1])
def test_after_the_first_failure_only_the_shrink_budget_is_spent(seed):
    """Whatever the profile's number of examples: Hypothesis, looking for other bugs, would
    keep drawing for up to ten seconds after the first, then shrink for up to five minutes."""
    out = agreement(_context(lambda lr: _SGD(lr, after=0), max_examples=300, seed=seed), SGD)
    assert out.failure is not None
    assert out.examples - out.examples_to_failure <= _properties.SHRINK_CALLS


def test_a_crash_ends_the_search_at_once():
    from checker._session import Failure

    ctx = _context(lambda lr: _SGD(lr), max_examples=60)
    run = ctx.session.run

    def crash_on_the_third(*args, **kwargs):
        if ctx.session.runs == 2:
            ctx.session.runs += 1
            raise Failure("crash", "update", "ZeroDivisionError", step=1)
        return run(*args, **kwargs)

    ctx.session.run = crash_on_the_third
    out = agreement(ctx, SGD)
    assert out.stopped is not None and out.stopped.kind == "crash"
    assert out.stopped_problem is not None and out.failure is None
    assert ctx.session.runs == out.examples == 3
