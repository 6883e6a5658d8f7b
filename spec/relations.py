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

from . import (adadelta, adagrad, adam, adamax, adamw, lion, momentum, nadam, nesterov, radam,
               rmsprop, sgd)
from ._fragments import (AMSGRAD, BETA1, BETA2, BIAS_CORRECTION, CENTERED, DAMPENING,
                         DECOUPLED, EPS, EPS_IN_SQRT, EPS_ROOT, INITIAL_ACCUMULATOR, LR,
                         LR_DECAY, MAXIMIZE, MOMENTUM, MOMENTUM_DECAY, NESTEROV, THRESHOLD,
                         WEIGHT_DECAY)
from ._rule import G, T, W, Rule

__all__ = ["Relation", "Proof", "RELATIONS", "prove_all"]


@dataclass(frozen=True)
class Proof:
    holds: bool
    detail: str


@dataclass(frozen=True)
class Relation:
    """``links``: the rules the claim is about, by name (``"adam/optax"``); an identity
    that links a framework's variant to another rule is what makes that other rule's
    "as optax" (or keras, torch) a fact executed by the framework's sweep
    (`spec._frameworks`)."""

    name: str
    statement: str
    claim: bool  # True: an identity; False: the forms are proven to differ
    _prove: Callable[[], Proof]
    links: tuple[str, ...] = ()

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


# -- optax and Keras against the other forms ----------------------------------------------
def _all(proofs) -> Proof:
    proofs = list(proofs)
    return Proof(all(p.holds for p in proofs), "; ".join(p.detail for p in proofs))


def _same(rule: Rule, at: dict, other: Rule, other_at: dict | None = None,
          rename: dict | None = None) -> Proof:
    """W and every state of ``other`` (with ``other_at``) equal ``rule``'s (with ``at``);
    ``rename`` maps ``rule``'s state symbols to expressions of ``other``'s."""
    mine, theirs = _outputs(rule, at), _outputs(other, other_at or {})
    rename = rename or {}
    proofs = [_identity(sp.piecewise_fold(mine[W].xreplace(rename)), sp.piecewise_fold(theirs[W]))]
    for s in other.state_symbols:
        mine_s = next((k for k in mine if k == s or rename.get(k) in (s, -s)), None)
        if mine_s is None:
            continue
        sign = -1 if rename.get(mine_s) == -s else 1
        proofs.append(_identity(sign * mine[mine_s].xreplace(rename), theirs[s]))
    return _all(proofs)


def _composed_at(rule: Rule, at: dict) -> dict:
    """Each output as one expression, with ``at`` put into every assignment *before*
    the temporaries are inlined (so a condition on a temporary, RAdam's rho_t, is decided)."""
    env: dict = {}
    for target, expr in rule.assignments:
        env[target] = expr.xreplace(at).xreplace(env)
    return {s: env.get(s, s) for s in rule.outputs}


def _steps(rule: Rule, values: dict, grads: list) -> sp.Expr:
    """The parameter after ``len(grads)`` steps from W = 0 and the states' initial values,
    exactly, with ``values`` for the hyperparameters (exact numbers; flags 0 or 1; the
    others their defaults)."""
    at = {}
    for h in rule.hypers:  # exact decimals (1/10, not the double nearest it): any point will do
        v = values.get(h.name, h.default)
        at[h.symbol] = (sp.true if v else sp.false) if h.flag else sp.Rational(str(v))
    state = {s.symbol: s.init.xreplace(at) for s in rule.states}
    w = sp.Integer(0)
    for t, g in enumerate(grads, start=1):
        env = {**at, W: w, G: g, T: t, **state}
        new = {k: sp.simplify(e.xreplace(env)) for k, e in rule.composed.items()}
        w, state = new[W], {s: new[s] for s in rule.state_symbols}
    return w


def _sgd_plain() -> Proof:
    """torch's SGD with momentum 0, optax's sgd with momentum None and Keras' with momentum
    0 are W - lr g."""
    plain = sgd.PLAIN.composed[W]
    torch = _outputs(sgd.TORCH, {**_OFF, WEIGHT_DECAY: 0, sp.Eq(MOMENTUM, 0): sp.true})[W]
    optax = _outputs(sgd.OPTAX, {NESTEROV: sp.false, MOMENTUM: 0})[W]
    keras = _outputs(sgd.KERAS, {WEIGHT_DECAY: 0, sp.Eq(MOMENTUM, 0): sp.true})[W]
    return _all(_identity(x, plain) for x in (torch, optax, keras))


def _optax_sgd(nest: bool, other: Rule) -> Callable[[], Proof]:
    def prove() -> Proof:
        return _same(sgd.OPTAX, {NESTEROV: sp.true if nest else sp.false}, other)
    return prove


def _optax_sgd_torch() -> Proof:
    """optax's trace equals torch's buffer at every step, the first included (from b = 0)."""
    b = sgd.TORCH.state_symbols[0]
    proofs = []
    for nest in (sp.false, sp.true):
        for first in (sp.true, sp.false):
            torch_at = {**_OFF, NESTEROV: nest, WEIGHT_DECAY: 0, DAMPENING: 0,
                        sp.Eq(T, 1): first, sp.Eq(MOMENTUM, 0): sp.false}
            at = {b: 0} if first is sp.true else {}
            mine = {k: e.xreplace(at) for k, e in _outputs(sgd.OPTAX, {NESTEROV: nest}).items()}
            theirs = {k: e.xreplace(at) for k, e in _outputs(sgd.TORCH, torch_at).items()}
            proofs += [_identity(mine[k], theirs[k]) for k in mine]
    return _all(proofs)


def _keras_sgd(nest: bool, other: Rule) -> Callable[[], Proof]:
    def prove() -> Proof:
        return _same(sgd.KERAS, {NESTEROV: sp.true if nest else sp.false, WEIGHT_DECAY: 0,
                                 sp.Eq(MOMENTUM, 0): sp.false}, other)
    return prove


def _optax_adam_algorithm1() -> Proof:
    return _same(adam.OPTAX_ADAM, {NESTEROV: sp.false, EPS_ROOT: 0}, adam.ALGORITHM1)


def _optax_adam_eps_inside() -> Proof:
    mine = _outputs(adam.OPTAX_ADAM, {NESTEROV: sp.false})
    mine = {k: e.xreplace({EPS: 0}).xreplace({EPS_ROOT: EPS}) for k, e in mine.items()}
    theirs = adam.EPS_INSIDE.composed
    return _all(_identity(mine[k], theirs[k]) for k in theirs)


def _optax_adamw_torch() -> Proof:
    at = {NESTEROV: sp.false, EPS_ROOT: 0, sp.Ne(WEIGHT_DECAY, 0): sp.true}
    other = {AMSGRAD: sp.false, MAXIMIZE: sp.false, sp.Ne(WEIGHT_DECAY, 0): sp.true}
    return _same(adamw.OPTAX, at, adamw.TORCH, other)


def _amsgrad_optax_torch() -> Proof:
    """Two steps from zero, g = 1 then 0: torch's maximum of the raw v keeps v_1 and corrects
    it by 1 - beta2^2; optax's keeps v_1 / (1 - beta2)."""
    hypers = {"lr": 1, "beta1": sp.Rational(1, 2), "beta2": sp.Rational(1, 2), "eps": 0}
    w_optax = _steps(adam.OPTAX_AMSGRAD, hypers, [1, 0])
    w_torch = _steps(adam.TORCH, dict(hypers, amsgrad=1), [1, 0])
    return _counterexample(w_optax - w_torch, {})


def _nadam_optax_torch() -> Proof:
    hypers = {"lr": 1, "beta1": sp.Rational(1, 2), "beta2": sp.Rational(1, 2), "eps": 0}
    return _counterexample(_steps(nadam.OPTAX, hypers, [1])
                           - _steps(nadam.TORCH, dict(hypers, momentum_decay=1), [1]), {})


def _keras_adam_eps_hat() -> Proof:
    return _same(adam.KERAS_ADAM, {AMSGRAD: sp.false, WEIGHT_DECAY: 0}, adam.EPS_HAT)


def _keras_adamw_is_keras_adam() -> Proof:
    a, w = _outputs(adam.KERAS_ADAM, {}), _outputs(adamw.KERAS, {})
    return _all(_identity(a[k], w[k]) for k in a)


def _optax_rmsprop(inside: bool, other: Rule) -> Callable[[], Proof]:
    def prove() -> Proof:
        at = {EPS_IN_SQRT: sp.true if inside else sp.false, CENTERED: sp.false,
              NESTEROV: sp.false, BIAS_CORRECTION: sp.false, MOMENTUM: 0}
        return _same(rmsprop.OPTAX, at, other)
    return prove


def _keras_rmsprop_optax() -> Proof:
    """Keras' momentum buffer is minus optax's trace: v_keras = -v_optax."""
    v = rmsprop.KERAS.state_symbols[2]
    proofs = []
    for centered in (sp.false, sp.true):
        keras_at = {CENTERED: centered, WEIGHT_DECAY: 0, MOMENTUM > 0: sp.true}
        optax_at = {CENTERED: centered, EPS_IN_SQRT: sp.true, NESTEROV: sp.false,
                    BIAS_CORRECTION: sp.false}
        proofs.append(_same(rmsprop.KERAS, keras_at, rmsprop.OPTAX, optax_at, {v: -v}))
    return _all(proofs)


def _keras_rmsprop_eps_inside() -> Proof:
    return _same(rmsprop.KERAS, {CENTERED: sp.false, WEIGHT_DECAY: 0, MOMENTUM > 0: sp.false},
                 rmsprop.EPS_INSIDE)


def _optax_adagrad(other: Rule, other_at: dict) -> Callable[[], Proof]:
    def prove() -> Proof:
        h = adagrad.OPTAX.state_symbols[0]
        at = {h > 0: sp.true, (h + G**2) > 0: sp.true}
        return _same(adagrad.OPTAX, at, other, other_at)
    return prove


def _keras3_adagrad_tf_keras() -> Proof:
    out = adagrad.KERAS_FORM.composed[W]
    ins = adagrad.KERAS3.composed[W].xreplace({WEIGHT_DECAY: 0})
    h = adagrad.KERAS_FORM.state_symbols[0]
    return _counterexample(ins - out, {h: sp.Rational(1, 100), G: sp.Rational(1, 10),
                                       EPS: sp.Rational(1, 10000), LR: 1, W: 0})


def _optax_adamax_torch() -> Proof:
    return _same(adamax.OPTAX, {}, adamax.TORCH, {MAXIMIZE: sp.false, WEIGHT_DECAY: 0})


def _lion_optax_keras() -> Proof:
    # on each side of Keras' `weight_decay is None` branch: decayed, and not at all
    proofs = [_same(lion.OPTAX, {}, lion.KERAS, {sp.Ne(WEIGHT_DECAY, 0): sp.true}),
              _same(lion.OPTAX, {WEIGHT_DECAY: 0}, lion.KERAS, {WEIGHT_DECAY: 0})]
    return Proof(all(p.holds for p in proofs), "; ".join(p.detail for p in proofs))


def _keras_adamax_torch() -> Proof:
    hypers = {"lr": 1, "beta1": sp.Rational(1, 2), "beta2": sp.Rational(1, 2),
              "eps": sp.Rational(1, 10)}
    return _counterexample(_steps(adamax.KERAS, hypers, [1, 0])
                           - _steps(adamax.TORCH, hypers, [1, 0]), {})


def _radam_optax_torch(eps_value) -> Callable[[], Proof]:
    """At eps = eps_root = 0 both take the same branch wherever rho_t is not exactly 5;
    with eps > 0 they differ (six steps of g = 1 reach the rectified step)."""
    def prove() -> Proof:
        if eps_value == 0:
            rho_t = sp.Symbol("rho_t", real=True)  # the rules' temporary
            proofs = []
            for rectified in (sp.true, sp.false):
                mine = _composed_at(radam.OPTAX, {rho_t >= THRESHOLD: rectified, NESTEROV:
                                                  sp.false, EPS_ROOT: 0, EPS: 0})
                theirs = _composed_at(radam.TORCH, {rho_t > radam.THRESHOLD: rectified, **_OFF,
                                                    DECOUPLED: sp.false, WEIGHT_DECAY: 0, EPS: 0})
                c2 = {BETA2**T: 1 - _C2}  # 1 - beta2^t > 0, so sqrt(v / c2) = sqrt(v) / sqrt(c2)
                proofs += [_identity(mine[k].subs(c2), theirs[k].subs(c2)) for k in theirs]
            return _all(proofs)
        hypers = {"lr": 1, "beta1": sp.Rational(1, 2), "beta2": sp.Rational(1, 2),
                  "eps": eps_value}
        # beta2 = 1/2: rho_inf = 3, so neither rectifies; the plain steps agree ...
        same = _steps(radam.OPTAX, hypers, [1, 1]) - _steps(radam.TORCH, hypers, [1, 1])
        # ... and beta2 = 0.999 reaches rho_t > 5 at t = 6, where eps meets different roots
        hypers["beta2"] = sp.Rational(999, 1000)
        diff = _steps(radam.OPTAX, hypers, [1] * 6) - _steps(radam.TORCH, hypers, [1] * 6)
        p1 = _identity(same, 0)
        p2 = _counterexample(diff, {})
        return Proof(p1.holds and p2.holds, f"t <= 2: {p1.detail}; t = 6: {p2.detail}")
    return prove


def _optax_adadelta_torch() -> Proof:
    return _same(adadelta.OPTAX, {}, adadelta.TORCH, {MAXIMIZE: sp.false})


def _keras_adadelta_torch() -> Proof:
    return _same(adadelta.KERAS, {WEIGHT_DECAY: 0}, adadelta.TORCH,
                 {MAXIMIZE: sp.false, WEIGHT_DECAY: 0})


def _keras_nadam_torch() -> Proof:
    return _same(nadam.KERAS, {WEIGHT_DECAY: 0}, nadam.TORCH,
                 {MAXIMIZE: sp.false, DECOUPLED: sp.false, WEIGHT_DECAY: 0, MOMENTUM_DECAY: 1})


RELATIONS: tuple[Relation, ...] = (
    Relation("book-moving-average",
             "the book's m += (1 - b1)(g - m) equals b1 m + (1 - b1) g", True, _book_ema),
    Relation("adam-eps-hat-equal",
             "Adam Algorithm 1 equals the eps-hat form when eps_hat = eps sqrt(1 - b2^t)",
             True, _adam_equal_when, ("adam/algorithm1", "adam/eps_hat")),
    Relation("adam-eps-hat-only",
             "... and only then: solving for eps_hat gives eps sqrt(1 - b2^t), which changes "
             "with t, so no constant epsilon makes them agree", True, _adam_only_when,
             ("adam/algorithm1", "adam/eps_hat")),
    Relation("adam-same-eps-differs",
             "Adam Algorithm 1 and the eps-hat form with the same epsilon differ, most where "
             "v is comparable to eps**2 and in the first steps (sqrt(1 - b2^t) small)", False,
             _adam_same_eps_differs, ("adam/algorithm1", "adam/eps_hat")),
    Relation("adam-eps-inside-outside",
             "Adam with epsilon inside the root of the corrected v differs from Algorithm 1",
             False, _adam_eps_inside(sp.Rational(1, 10)), ("adam/algorithm1", "adam/eps_inside")),
    Relation("adam-eps-inside-zero",
             "Adam's two epsilon placements agree when eps = 0", True, _adam_eps_inside(0),
             ("adam/algorithm1", "adam/eps_inside")),
    Relation("momentum-pytorch-book",
             "PyTorch's momentum equals the book's under constant lr, via v = -lr b", True,
             _momentum_equal, ("momentum/book", "momentum/pytorch")),
    Relation("momentum-lr-change",
             "after lr changes (v = -lr0 b, lr != lr0) PyTorch's momentum and the book's differ",
             False, _momentum_lr_change, ("momentum/book", "momentum/pytorch")),
    Relation("nesterov-lookahead",
             "Sutskever's look-ahead Nesterov equals Bengio's eq. 7 with theta = W + mu v", True,
             _nesterov_lookahead, ("nesterov/bengio",)),
    Relation("nesterov-pytorch-bengio",
             "PyTorch's nesterov=True equals Bengio's eq. 7 under constant lr, via v = -lr b",
             True, _nesterov_equal, ("nesterov/bengio", "nesterov/pytorch")),
    Relation("adagrad-eps-inside-outside",
             "AdaGrad with epsilon inside the root differs from epsilon outside", False,
             _eps_placement(adagrad), ("adagrad/eps_outside", "adagrad/eps_inside")),
    Relation("adagrad-eps-zero",
             "AdaGrad's two epsilon placements agree when eps = 0", True,
             _eps_placement_zero(adagrad), ("adagrad/eps_outside", "adagrad/eps_inside")),
    Relation("rmsprop-eps-inside-outside",
             "RMSProp with epsilon inside the root differs from epsilon outside", False,
             _eps_placement(rmsprop), ("rmsprop/eps_outside", "rmsprop/eps_inside")),
    Relation("rmsprop-eps-zero",
             "RMSProp's two epsilon placements agree when eps = 0", True,
             _eps_placement_zero(rmsprop), ("rmsprop/eps_outside", "rmsprop/eps_inside")),
    Relation("torch-adam-algorithm1",
             "torch's Adam with its switches off and no weight decay is Algorithm 1", True,
             _torch_adam_algorithm1,
             ("adam/torch", "adam/algorithm1")),
    Relation("torch-adamw-adam-decoupled",
             "torch's AdamW is torch's Adam with decoupled_weight_decay=True (with or without "
             "amsgrad)", True, _torch_adamw_is_adam_decoupled,
             ("adamw/torch", "adam/torch")),
    Relation("torch-sgd-momentum",
             "torch's SGD with momentum > 0 and no dampening is PyTorch's momentum after "
             "its first step", True, _torch_sgd_momentum(False, momentum.PYTORCH_FORM),
             ("sgd/torch", "momentum/pytorch")),
    Relation("torch-sgd-nesterov",
             "torch's SGD with nesterov=True is PyTorch's Nesterov buffer form after its "
             "first step", True, _torch_sgd_momentum(True, nesterov.PYTORCH_FORM),
             ("sgd/torch", "nesterov/pytorch")),
    Relation("torch-sgd-first-step",
             "torch's SGD buffer starts as a clone of g, not mu * 0 + (1 - dampening) g",
             False, _torch_sgd_first_step, ("sgd/torch",)),
    Relation("torch-rmsprop-eps-outside",
             "torch's RMSprop with its switches off, no momentum and no weight decay is "
             "epsilon outside the root", True, _torch_rmsprop_eps_outside,
             ("rmsprop/torch", "rmsprop/eps_outside")),
    Relation("torch-adagrad-eps-outside",
             "torch's Adagrad with no lr_decay, weight decay or initial accumulator is "
             "epsilon outside the root", True, _torch_adagrad_eps_outside,
             ("adagrad/torch", "adagrad/eps_outside")),
    # optax 0.2.8 and Keras 3.15.1, each variant run for real by its sweep
    Relation("frameworks-sgd-plain",
             "torch's SGD, optax's sgd and Keras' SGD without momentum or weight decay are "
             "W - lr g", True, _sgd_plain, ("sgd/plain", "sgd/torch", "sgd/optax", "sgd/keras")),
    Relation("optax-sgd-momentum",
             "optax's sgd with momentum is PyTorch's momentum (b <- g + mu b, W -= lr b) at "
             "every step", True, _optax_sgd(False, momentum.PYTORCH_FORM),
             ("sgd/optax", "momentum/pytorch")),
    Relation("optax-sgd-nesterov",
             "optax's sgd with nesterov=True is PyTorch's Nesterov buffer form at every step",
             True, _optax_sgd(True, nesterov.PYTORCH_FORM), ("sgd/optax", "nesterov/pytorch")),
    Relation("optax-sgd-torch",
             "optax's sgd is torch's SGD with dampening 0 at every step, the first included "
             "(torch's clone of g is optax's g + mu 0), with or without nesterov", True,
             _optax_sgd_torch, ("sgd/optax", "sgd/torch")),
    Relation("keras-sgd-momentum",
             "Keras' SGD with momentum is the book's momentum (v <- mu v - lr g, W += v)", True,
             _keras_sgd(False, momentum.BOOK_FORM), ("sgd/keras", "momentum/book")),
    Relation("keras-sgd-nesterov",
             "Keras' SGD with nesterov=True is Bengio's eq. 7 (the book's Nesterov)", True,
             _keras_sgd(True, nesterov.BENGIO), ("sgd/keras", "nesterov/bengio")),
    Relation("optax-adam-algorithm1",
             "optax's adam with eps_root = 0 and no nesterov is Algorithm 1", True,
             _optax_adam_algorithm1, ("adam/optax", "adam/algorithm1")),
    Relation("optax-adam-eps-inside",
             "optax's adam with eps = 0 is Adam with epsilon inside the root, eps_root its "
             "epsilon", True, _optax_adam_eps_inside, ("adam/optax", "adam/eps_inside")),
    Relation("optax-amsgrad-torch",
             "optax's amsgrad (maximum of the corrected v) and torch's amsgrad=True (maximum "
             "of the raw v) differ", False, _amsgrad_optax_torch,
             ("adam/optax_amsgrad", "adam/torch")),
    Relation("keras-adam-eps-hat",
             "Keras' Adam without amsgrad or weight decay is the epsilon-hat form", True,
             _keras_adam_eps_hat, ("adam/keras", "adam/eps_hat")),
    Relation("keras-adamw-keras-adam",
             "Keras' AdamW is Keras' Adam (only the weight_decay default differs)", True,
             _keras_adamw_is_keras_adam, ("adamw/keras", "adam/keras")),
    Relation("optax-adamw-torch",
             "optax's adamw, W - lr (adam + wd W), is torch's AdamW, W (1 - lr wd) - lr adam, "
             "without amsgrad, eps_root or nesterov", True, _optax_adamw_torch,
             ("adamw/optax", "adamw/torch")),
    Relation("optax-nadam-torch",
             "optax's nadam (no momentum schedule) and torch's NAdam differ", False,
             _nadam_optax_torch, ("nadam/optax", "nadam/torch")),
    Relation("keras-nadam-torch",
             "Keras' Nadam without weight decay is torch's NAdam with momentum_decay = 1", True,
             _keras_nadam_torch, ("nadam/keras", "nadam/torch")),
    Relation("optax-rmsprop-eps-inside",
             "optax's rmsprop with its defaults (eps_in_sqrt, no centering, momentum, "
             "nesterov or bias correction) is RMSProp with epsilon inside the root", True,
             _optax_rmsprop(True, rmsprop.EPS_INSIDE), ("rmsprop/optax", "rmsprop/eps_inside")),
    Relation("optax-rmsprop-eps-outside",
             "optax's rmsprop with eps_in_sqrt=False is RMSProp with epsilon outside the root",
             True, _optax_rmsprop(False, rmsprop.EPS_OUTSIDE),
             ("rmsprop/optax", "rmsprop/eps_outside")),
    Relation("keras-rmsprop-optax",
             "Keras' RMSprop with momentum, centered or not, is optax's rmsprop with "
             "eps_in_sqrt (Keras' buffer is minus optax's trace)", True, _keras_rmsprop_optax,
             ("rmsprop/keras", "rmsprop/optax")),
    Relation("keras-rmsprop-eps-inside",
             "Keras' RMSprop without momentum, centering or weight decay is epsilon inside the "
             "root", True, _keras_rmsprop_eps_inside, ("rmsprop/keras", "rmsprop/eps_inside")),
    Relation("optax-adagrad-keras3",
             "optax's adagrad is Keras 3's Adagrad without weight decay (where the sum is > 0)",
             True, _optax_adagrad(adagrad.KERAS3, {WEIGHT_DECAY: 0}),
             ("adagrad/optax", "adagrad/keras3")),
    Relation("optax-adagrad-eps-inside",
             "optax's adagrad is AdaGrad with epsilon inside the root (where the sum is > 0; "
             "it starts at initial_accumulator_value)", True,
             _optax_adagrad(adagrad.EPS_INSIDE, {}), ("adagrad/optax", "adagrad/eps_inside")),
    Relation("keras3-adagrad-tf-keras",
             "Keras 3's Adagrad (epsilon inside the root) differs from tf.keras 2's (outside)",
             False, _keras3_adagrad_tf_keras, ("adagrad/keras3", "adagrad/keras")),
    Relation("optax-adamax-torch",
             "optax's adamax is torch's Adamax without weight decay or maximize", True,
             _optax_adamax_torch, ("adamax/optax", "adamax/torch")),
    Relation("keras-adamax-torch",
             "Keras' Adamax (epsilon added to u) differs from torch's (epsilon inside the "
             "maximum)", False, _keras_adamax_torch, ("adamax/keras", "adamax/torch")),
    Relation("optax-radam-torch",
             "optax's radam and torch's RAdam differ for eps > 0 (eps outside the root of the "
             "corrected v, against torch's raw v)", False, _radam_optax_torch(sp.Rational(1, 10)),
             ("radam/optax", "radam/torch")),
    Relation("optax-radam-torch-eps-zero",
             "optax's radam is torch's RAdam at eps = eps_root = 0 on either branch (rho_t "
             "not exactly 5)", True, _radam_optax_torch(0), ("radam/optax", "radam/torch")),
    Relation("optax-adadelta-torch",
             "optax's adadelta is torch's Adadelta without maximize (weight decay included)",
             True, _optax_adadelta_torch, ("adadelta/optax", "adadelta/torch")),
    Relation("keras-adadelta-torch",
             "Keras' Adadelta without weight decay is torch's without weight decay or maximize",
             True, _keras_adadelta_torch, ("adadelta/keras", "adadelta/torch")),
    Relation("optax-lion-keras",
             "optax's lion is Keras' Lion at the same weight decay (optax adds the decayed "
             "weight to the sign, Keras decays W first: the same lr multiplies both)", True,
             _lion_optax_keras, ("lion/optax", "lion/keras")),
)


def prove_all() -> list[tuple[Relation, Proof]]:
    return [(r, r.prove()) for r in RELATIONS]
