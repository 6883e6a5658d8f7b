"""Fingerprinting and constant inference, on trajectories made in this process."""

import numpy as np
import pytest

import reference
from checker._judge import fingerprint
from checker._session import Trajectory
from checker._strategies import designed_probe
import spec


def _run(opt, problem):
    params = {k: np.array(v, copy=True) if isinstance(v, np.ndarray) else v
              for k, v in problem.params.items()}
    got = [{k: np.array(v, copy=True) for k, v in params.items()}]
    for g in problem.grads:
        opt.update(params, g)
        got.append({k: np.array(v, copy=True) for k, v in params.items()})
    return Trajectory(got=got)


class _PaperAdam:
    def __init__(self, lr=0.001, eps=3e-9):
        self.lr, self.eps, self.t, self.m, self.v = lr, eps, 0, {}, {}

    def update(self, params, grads):
        self.t += 1
        for k in params:
            m = self.m.setdefault(k, np.zeros_like(params[k]))
            v = self.v.setdefault(k, np.zeros_like(params[k]))
            m[...] = 0.9 * m + 0.1 * grads[k]
            v[...] = 0.999 * v + (1 - 0.999) * grads[k] ** 2
            mh, vh = m / (1 - 0.9**self.t), v / (1 - 0.999**self.t)
            params[k] -= self.lr * mh / (np.sqrt(vh) + self.eps)


def test_book_adam_is_the_eps_hat_form_with_eps_1e_7_inferred_exactly():
    probe = designed_probe(spec.get("adam"), {"lr": 0.001, "beta1": 0.9, "beta2": 0.999})
    traj = _run(reference.Adam(), probe)
    matches = fingerprint("adam", {"lr": 0.001, "beta1": 0.9, "beta2": 0.999}, ["eps"], traj,
                          probe.grads)
    ok = [m for m in matches if m.ok]
    assert [m.rule.variant for m in ok] == ["eps_hat"]
    assert ok[0].inferred == {"eps": 1e-7}


def test_an_unusual_hard_coded_epsilon_is_solved_for_and_snapped():
    probe = designed_probe(spec.get("adam"), {"lr": 0.001})
    opt = _PaperAdam()
    traj = _run(opt, probe)
    matches = fingerprint("adam", {"lr": 0.001}, ["eps"], traj, probe.grads)
    ok = [m for m in matches if m.ok]
    assert [m.rule.variant for m in ok] == ["algorithm1"]
    assert ok[0].inferred == {"eps": 3e-9}


@pytest.mark.parametrize("cls, family, variant", [
    (reference.SGD, "sgd", "plain"), (reference.Momentum, "momentum", None),
    (reference.Nesterov, "nesterov", None), (reference.AdaGrad, "adagrad", "eps_outside"),
    (reference.RMSprop, "rmsprop", "eps_outside"),
])
def test_reference_classes_are_fingerprinted(cls, family, variant):
    rule = spec.get(family)
    known = rule.defaults
    probe = designed_probe(rule, known)
    matches = fingerprint(family, known, [], _run(cls(), probe), probe.grads)
    ok = {m.rule.variant for m in matches if m.ok}
    if variant is None:  # lr is constant in the probe: book and pytorch agree exactly
        assert ok == {"book", "pytorch"} or ok == {"bengio", "pytorch"}
    else:
        assert ok == {variant}


class _ScheduledSGD:
    """lr divided by 10 from the 11th call on: no hard-coded lr explains every run."""

    def __init__(self, lr=0.01):
        self.lr, self.calls = lr, 0

    def update(self, params, grads):
        self.calls += 1
        lr = self.lr if self.calls <= 10 else self.lr * 0.1
        for k in params:
            params[k] -= lr * grads[k]


def test_an_explanation_must_reproduce_every_run_and_otherwise_only_where_it_leaves():
    from checker._check import _what_is_known
    from checker._judge import Match, Seen, explains_all

    rule = spec.get("sgd")
    short, long = designed_probe(rule, {"lr": 0.01}), designed_probe(rule, {"lr": 0.01}, steps=14)
    seen = [Seen(_run(_ScheduledSGD(), short), short.grads, {"lr": 0.01}, what="the probe"),
            Seen(_run(_ScheduledSGD(), long), long.grads, {"lr": 0.01})]
    # "lr = 0.01 is ignored, 0.001 hard-coded" fits the long run's tail, not the probe
    assert not explains_all(seen, rule, {"lr": 0.001}, fixed=("lr",))
    assert explains_all(seen[:1], rule, {"lr": 0.01})
    known = _what_is_known(seen, Match(rule, {"lr": 0.01}))
    assert "for the first 10 calls" in known and "from call 11 on" in known


def test_a_question_asked_again_of_the_same_run_is_answered_from_memory(monkeypatch):
    """Diagnosing a failure asks check_against the same question many times; the oracle
    runs once per question, and a new run (or new gradients) is judged afresh."""
    from checker import _judge

    rule = spec.family("adam").rule("eps_hat")
    hypers = dict(rule.defaults, eps=1e-7)
    probe = designed_probe(rule, hypers)
    traj = _run(reference.Adam(), probe)
    runs = []
    real = spec.Oracle.run
    monkeypatch.setattr(spec.Oracle, "run", lambda self, *a, **k: runs.append(1) or real(self, *a, **k))
    first = _judge.check_against(rule, hypers, traj, probe.grads)
    assert first is None and len(runs) == 1
    assert _judge.check_against(rule, dict(hypers), traj, probe.grads) is None and len(runs) == 1
    wrong = dict(hypers, lr=0.002)
    mismatch = _judge.check_against(rule, wrong, traj, probe.grads)
    assert mismatch is not None and len(runs) == 2
    assert _judge.check_against(rule, wrong, traj, probe.grads) is mismatch and len(runs) == 2
    assert _judge.check_against(rule, hypers, traj, [dict(g) for g in probe.grads]) is None
    assert len(runs) == 3  # other gradients: judged again
    again = _run(reference.Adam(), probe)
    assert _judge.check_against(rule, hypers, again, probe.grads) is None and len(runs) == 4
    assert _judge.check_against(rule, hypers, traj, probe.grads, strict=True) is None
    assert len(runs) == 6  # strictly: another question (the exact numbers, then the bounds)


def test_a_mistake_grossly_off_is_set_aside_without_its_error_bounds(monkeypatch):
    """Strictly (naming a mistake), the exact numbers of a mistaken rule that are off by a
    factor say no without the bounds; one that matches is still judged with them."""
    from checker import _judge
    from spec.mistakes import mistakes_for

    rule = spec.family("adam").rule("eps_hat")
    hypers = dict(rule.defaults, eps=1e-7)
    probe = designed_probe(rule, hypers)
    traj = _run(reference.Adam(), probe)
    bounded = []
    real = spec.Oracle.run
    monkeypatch.setattr(spec.Oracle, "run", lambda self, *a, bounds=False, **k:
                        bounded.append(bounds) or real(self, *a, bounds=bounds, **k))
    mistaken = {m.name: (r, d) for m, r, d in mistakes_for(rule)}
    ascent, driver = mistaken["gradient-ascent"]
    mm = _judge.check_against(ascent, hypers, traj, probe.grads, driver=driver, strict=True)
    assert mm is not None and mm.step == 1 and mm.allowed == 0.0
    assert bounded == [False]  # never bounded
    assert _judge.check_against(rule, hypers, traj, probe.grads, strict=True) is None
    assert bounded == [False, False, True]
