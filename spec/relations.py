"""Relations between forms, proven symbolically by SymPy (not sampled).

Each `Relation` states a claim about the rules' own equations and proves it
when asked: an identity by simplifying the difference of the two sides to zero,
a non-identity by an exact rational point where the difference is not zero.
The expressions come from the rules in this package; the only formulas written
here are the *other* forms being related to them (the book's in-place moving
average, Sutskever's look-ahead Nesterov), which are the subject of the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from . import adagrad, adam, adamw, momentum, nesterov, rmsprop, sgd
from ._fragments import (AMSGRAD, BETA1, BETA2, CENTERED, DAMPENING, DECOUPLED, EPS,
                         INITIAL_ACCUMULATOR, LR, LR_DECAY, MAXIMIZE, MOMENTUM, NESTEROV,
                         WEIGHT_DECAY)
from ._rule import G, T, W, Rule

__all__ = ["Relation", "Proof", "RELATIONS", "prove_all"]


@dataclass(frozen=True)
class Proof:
    holds: bool
    detail: str


@dataclass(frozen=True)
class Relation:
    name: str
    statement: str
    claim: bool  # True: an identity; False: the forms are proven to differ
    _prove: Callable[[], Proof]

    def prove(self) -> Proof:
        return self._prove()


def _is_zero(expr: sp.Expr) -> bool:
    return sp.simplify(expr) == 0


def _identity(lhs: sp.Expr, rhs: sp.Expr) -> Proof:
    diff = sp.simplify(lhs - rhs)
    return Proof(diff == 0, f"simplify(lhs - rhs) = {sp.sstr(diff)}")


def _counterexample(diff: sp.Expr, point: dict) -> Proof:
    value = sp.simplify(diff.subs(point))
    where = ", ".join(f"{k}={v}" for k, v in point.items())
    # a non-zero exact value at one point proves the two sides are not identical;
    # when SymPy cannot decide the sign symbolically, 60 digits of an algebraic
    # number far from zero settle it
    zero = value.is_zero
    if zero is None:
        zero = abs(sp.N(value, 60)) < sp.Float("1e-40")
    return Proof(bool(zero), f"lhs - rhs = {sp.sstr(value)} = {sp.N(value, 6)} at {where}")


def _after_state(rule: Rule) -> sp.Expr:
    """The new W with each state symbol standing for its *new* value."""
    states = set(rule.state_symbols)
    env: dict = {}
    for target, expr in rule.assignments:
        if target in states:
            continue
        env[target] = expr.xreplace(env)
    return env[W]


# -- the book's moving average ----------------------------------------------------
def _book_ema() -> Proof:
    m = adam.ALGORITHM1.state_symbols[0]
    spec_form = dict(adam.ALGORITHM1.assignments)[m]
    book_form = m + (1 - BETA1) * (G - m)  # self.m[key] += (1 - beta1) * (grads[key] - self.m[key])
    return _identity(book_form, spec_form)


# -- Adam: Algorithm 1 against the epsilon-hat form --------------------------------
_C1 = sp.Symbol("c1", positive=True)  # 1 - beta1**t
_C2 = sp.Symbol("c2", positive=True)  # 1 - beta2**t
_EPS_HAT = sp.Symbol("eps_hat", nonnegative=True)


def _adam_sides(eps_hat: sp.Expr):
    subs = {1 - BETA1**T: _C1, 1 - BETA2**T: _C2}
    alg1 = _after_state(adam.ALGORITHM1).subs(subs)
    hat = _after_state(adam.EPS_HAT).subs(subs).subs(EPS, eps_hat)
    return alg1, hat


def _adam_equal_when() -> Proof:
    alg1, hat = _adam_sides(EPS * sp.sqrt(_C2))
    return _identity(alg1, hat)


def _adam_only_when() -> Proof:
    alg1, hat = _adam_sides(_EPS_HAT)
    solutions = sp.solve(sp.Eq(alg1, hat), _EPS_HAT)
    ok = len(solutions) == 1 and _is_zero(solutions[0] - EPS * sp.sqrt(_C2))
    return Proof(ok, f"solve(algorithm1 = eps_hat form, eps_hat) = {solutions}")


def _adam_same_eps_differs() -> Proof:
    alg1, hat = _adam_sides(EPS)
    m, v = adam.ALGORITHM1.state_symbols
    point = {m: 1, v: sp.Rational(1, 100), _C1: sp.Rational(1, 10), _C2: sp.Rational(1, 1000),
             EPS: sp.Rational(1, 10), LR: 1}
    return _counterexample(alg1 - hat, point)


def _adam_eps_inside(eps_value) -> Callable[[], Proof]:
    """Algorithm 1 against epsilon inside the root of the corrected v: a counterexample
    with eps > 0, an identity with eps = 0."""
    def prove() -> Proof:
        subs = {1 - BETA1**T: _C1, 1 - BETA2**T: _C2}
        alg1 = _after_state(adam.ALGORITHM1).subs(subs).subs(EPS, eps_value)
        inside = _after_state(adam.EPS_INSIDE).subs(subs).subs(EPS, eps_value)
        if eps_value == 0:
            return _identity(alg1, inside)
        m, v = adam.ALGORITHM1.state_symbols
        point = {m: 1, v: sp.Rational(1, 100), _C1: sp.Rational(1, 10),
                 _C2: sp.Rational(1, 1000), LR: 1}
        return _counterexample(alg1 - inside, point)
    return prove


# -- lr inside or outside the velocity ------------------------------------------------
_B = sp.Symbol("b", real=True)
_LR0 = sp.Symbol("lr0", positive=True)  # the learning rate of the previous steps


def _lr_inside_outside(book: Rule, torch: Rule, lr_before: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """Differences of new W and of the velocity invariant after one step from v = -lr_before b."""
    (v,), (b,) = book.state_symbols, torch.state_symbols
    nb, nt = book.composed, torch.composed
    at = {v: -lr_before * b}
    dw = nb[W].xreplace(at) - nt[W]
    dv = nb[v].xreplace(at) - (-LR * nt[b])
    return dw, dv


def _momentum_equal() -> Proof:
    dw, dv = _lr_inside_outside(momentum.BOOK_FORM, momentum.PYTORCH_FORM, LR)
    p1, p2 = _identity(dw, 0), _identity(dv, 0)
    return Proof(p1.holds and p2.holds, f"W: {p1.detail}; v + lr b: {p2.detail}")


def _nesterov_equal() -> Proof:
    dw, dv = _lr_inside_outside(nesterov.BENGIO, nesterov.PYTORCH_FORM, LR)
    p1, p2 = _identity(dw, 0), _identity(dv, 0)
    return Proof(p1.holds and p2.holds, f"W: {p1.detail}; v + lr b: {p2.detail}")


def _momentum_lr_change() -> Proof:
    dw, _ = _lr_inside_outside(momentum.BOOK_FORM, momentum.PYTORCH_FORM, _LR0)
    b = momentum.PYTORCH_FORM.state_symbols[0]
    point = {b: 1, MOMENTUM: sp.Rational(9, 10), LR: sp.Rational(1, 10), _LR0: sp.Rational(1, 100),
             G: 1, W: 0}
    return _counterexample(dw, point)


# -- Nesterov: Sutskever's look-ahead form against Bengio's eq. 7 -----------------------
def _nesterov_lookahead() -> Proof:
    """With theta = W_s + mu v, one look-ahead step moves theta exactly as eq. 7 moves W."""
    v = nesterov.BENGIO.state_symbols[0]
    theta = sp.Symbol("theta", real=True)
    g_theta = G  # the gradient at the look-ahead point theta
    w_s = theta - MOMENTUM * v
    v_new = MOMENTUM * v - LR * g_theta  # Sutskever et al. 2013, eq. 3-4
    w_s_new = w_s + v_new
    eq7 = nesterov.BENGIO.composed
    p1 = _identity(w_s_new + MOMENTUM * v_new, eq7[W].xreplace({W: theta}))
    p2 = _identity(v_new, eq7[v])
    return Proof(p1.holds and p2.holds, f"theta: {p1.detail}; v: {p2.detail}")


# -- epsilon inside or outside the root -------------------------------------------------
def _eps_placement(family) -> Callable[[], Proof]:
    def prove() -> Proof:
        out, ins = family.EPS_OUTSIDE.composed[W], family.EPS_INSIDE.composed[W]
        h = family.EPS_OUTSIDE.state_symbols[0]
        point = {h: sp.Rational(1, 100), G: sp.Rational(1, 10), EPS: sp.Rational(1, 10000),
                 LR: 1, W: 0}
        if family is rmsprop:
            point[rmsprop.DECAY] = sp.Rational(9, 10)
        return _counterexample(out - ins, point)

    return prove


def _eps_placement_zero(family) -> Callable[[], Proof]:
    def prove() -> Proof:
        out, ins = family.EPS_OUTSIDE.composed[W], family.EPS_INSIDE.composed[W]
        return _identity(out.subs(EPS, 0), ins.subs(EPS, 0))

    return prove


# -- torch's rules against the forms they generalise -------------------------------------
_OFF = {MAXIMIZE: sp.false, AMSGRAD: sp.false, CENTERED: sp.false, NESTEROV: sp.false}


def _outputs(rule: Rule, at: dict) -> dict:
    """The new W and states of ``rule`` with ``at`` substituted (flags as SymPy booleans,
    conditions as true or false), Piecewise collapsed where that decides it."""
    return {s: e.xreplace(at) for s, e in rule.composed.items()}


def _same_step(torch_rule: Rule, at: dict, other: Rule, states: dict | None = None) -> Proof:
    """W and each state of ``other`` equal ``torch_rule``'s (its states renamed by ``states``)."""
    mine, theirs = _outputs(torch_rule, at), other.composed
    rename = states or {}
    proofs = [_identity(mine[W].xreplace(rename), theirs[W])]
    for s in other.state_symbols:
        mine_s = next(k for k in mine if rename.get(k, k) == s)
        proofs.append(_identity(mine[mine_s].xreplace(rename), theirs[s]))
    return Proof(all(p.holds for p in proofs), "; ".join(p.detail for p in proofs))


def _torch_adam_algorithm1() -> Proof:
    return _same_step(adam.TORCH, {**_OFF, DECOUPLED: sp.false, WEIGHT_DECAY: 0},
                      adam.ALGORITHM1)


def _torch_adamw_is_adam_decoupled() -> Proof:
    proofs = []
    for ams in (sp.false, sp.true):
        a = _outputs(adam.TORCH, {DECOUPLED: sp.true, AMSGRAD: ams})
        w = _outputs(adamw.TORCH, {AMSGRAD: ams})
        proofs += [_identity(a[s], w[s]) for s in a]
    return Proof(all(p.holds for p in proofs), "; ".join(p.detail for p in proofs))


def _torch_sgd_momentum(nest: bool, other: Rule) -> Callable[[], Proof]:
    def prove() -> Proof:
        # from the second step on, momentum > 0, no dampening, constant lr
        at = {**_OFF, NESTEROV: sp.true if nest else sp.false, WEIGHT_DECAY: 0, DAMPENING: 0,
              sp.Eq(T, 1): sp.false, sp.Eq(MOMENTUM, 0): sp.false}
        return _same_step(sgd.TORCH, at, other)
    return prove


def _torch_sgd_first_step() -> Proof:
    """torch clones g into the buffer at t = 1: not mu * 0 + (1 - dampening) g."""
    b = sgd.TORCH.state_symbols[0]
    at = {**_OFF, WEIGHT_DECAY: 0, sp.Eq(MOMENTUM, 0): sp.false}
    first = _outputs(sgd.TORCH, {**at, sp.Eq(T, 1): sp.true})[b]
    formula = _outputs(sgd.TORCH, {**at, sp.Eq(T, 1): sp.false})[b].xreplace({b: 0})
    return _counterexample(first - formula, {G: 1, MOMENTUM: sp.Rational(9, 10),
                                             DAMPENING: sp.Rational(1, 10)})


def _torch_rmsprop_eps_outside() -> Proof:
    at = {**_OFF, WEIGHT_DECAY: 0, MOMENTUM > 0: sp.false}
    h = rmsprop.TORCH.state_symbols[0]
    return _same_step(rmsprop.TORCH, at, rmsprop.EPS_OUTSIDE,
                      {h: rmsprop.EPS_OUTSIDE.state_symbols[0]})


def _torch_adagrad_eps_outside() -> Proof:
    at = {**_OFF, WEIGHT_DECAY: 0, LR_DECAY: 0, INITIAL_ACCUMULATOR: 0}
    return _same_step(adagrad.TORCH, at, adagrad.EPS_OUTSIDE)


RELATIONS: tuple[Relation, ...] = (
    Relation("book-moving-average",
             "the book's m += (1 - b1)(g - m) equals b1 m + (1 - b1) g", True, _book_ema),
    Relation("adam-eps-hat-equal",
             "Adam Algorithm 1 equals the eps-hat form when eps_hat = eps sqrt(1 - b2^t)",
             True, _adam_equal_when),
    Relation("adam-eps-hat-only",
             "... and only then: solving for eps_hat gives eps sqrt(1 - b2^t), which changes "
             "with t, so no constant epsilon makes them agree", True, _adam_only_when),
    Relation("adam-same-eps-differs",
             "Adam Algorithm 1 and the eps-hat form with the same epsilon differ", False,
             _adam_same_eps_differs),
    Relation("adam-eps-inside-outside",
             "Adam with epsilon inside the root of the corrected v differs from Algorithm 1",
             False, _adam_eps_inside(sp.Rational(1, 10))),
    Relation("adam-eps-inside-zero",
             "Adam's two epsilon placements agree when eps = 0", True, _adam_eps_inside(0)),
    Relation("momentum-pytorch-book",
             "PyTorch's momentum equals the book's under constant lr, via v = -lr b", True,
             _momentum_equal),
    Relation("momentum-lr-change",
             "after lr changes (v = -lr0 b, lr != lr0) PyTorch's momentum and the book's differ",
             False, _momentum_lr_change),
    Relation("nesterov-lookahead",
             "Sutskever's look-ahead Nesterov equals Bengio's eq. 7 with theta = W + mu v", True,
             _nesterov_lookahead),
    Relation("nesterov-pytorch-bengio",
             "PyTorch's nesterov=True equals Bengio's eq. 7 under constant lr, via v = -lr b",
             True, _nesterov_equal),
    Relation("adagrad-eps-inside-outside",
             "AdaGrad with epsilon inside the root differs from epsilon outside", False,
             _eps_placement(adagrad)),
    Relation("adagrad-eps-zero",
             "AdaGrad's two epsilon placements agree when eps = 0", True,
             _eps_placement_zero(adagrad)),
    Relation("rmsprop-eps-inside-outside",
             "RMSProp with epsilon inside the root differs from epsilon outside", False,
             _eps_placement(rmsprop)),
    Relation("rmsprop-eps-zero",
             "RMSProp's two epsilon placements agree when eps = 0", True,
             _eps_placement_zero(rmsprop)),
    Relation("torch-adam-algorithm1",
             "torch's Adam with its switches off and no weight decay is Algorithm 1", True,
             _torch_adam_algorithm1),
    Relation("torch-adamw-adam-decoupled",
             "torch's AdamW is torch's Adam with decoupled_weight_decay=True (with or without "
             "amsgrad)", True, _torch_adamw_is_adam_decoupled),
    Relation("torch-sgd-momentum",
             "torch's SGD with momentum > 0 and no dampening is PyTorch's momentum after "
             "its first step", True, _torch_sgd_momentum(False, momentum.PYTORCH_FORM)),
    Relation("torch-sgd-nesterov",
             "torch's SGD with nesterov=True is PyTorch's Nesterov buffer form after its "
             "first step", True, _torch_sgd_momentum(True, nesterov.PYTORCH_FORM)),
    Relation("torch-sgd-first-step",
             "torch's SGD buffer starts as a clone of g, not mu * 0 + (1 - dampening) g",
             False, _torch_sgd_first_step),
    Relation("torch-rmsprop-eps-outside",
             "torch's RMSprop with its switches off, no momentum and no weight decay is "
             "epsilon outside the root", True, _torch_rmsprop_eps_outside),
    Relation("torch-adagrad-eps-outside",
             "torch's Adagrad with no lr_decay, weight decay or initial accumulator is "
             "epsilon outside the root", True, _torch_adagrad_eps_outside),
)


def prove_all() -> list[tuple[Relation, Proof]]:
    return [(r, r.prove()) for r in RELATIONS]
