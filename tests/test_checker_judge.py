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
