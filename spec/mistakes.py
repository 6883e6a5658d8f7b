"""Known mistakes, each a small transformation of a variant's equations.

Most wrong optimizers are one well-known mistake away from a right one.  A
`Mistake` says which rules it applies to and how it changes them: an edit of
the assignments (a sign, a swapped pair of decays, a dropped bias correction),
a different initial state, or a different way of driving the steps (the
`Driver`: a step counter advanced once per key, state reset on every call).
The checker runs the oracle of the mistaken rule; when an implementation that
fails matches it exactly, the report names the mistake.

>>> [m.name for m, _ in mistakes_for(spec.get("adagrad"))][:3]   # doctest: +SKIP
['gradient-ascent', 'lr-twice', 'silent-l2']

A torch rule's flags are hyperparameters, not mistakes: ``maximize=True`` is
a request to ascend, while ``gradient-ascent`` is a step added where the rule
(with the flags the target was given) subtracts it.  A mistake that would
change nothing in a rule (a state that already starts at one, a swap of
symbols the step does not read) is not offered for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

import sympy as sp

from ._fragments import EPS, LR
from ._rule import NONNEGATIVE, G, Hyper, Rule, T, W
from .oracle import CORRECT, Driver

__all__ = ["Mistake", "MISTAKES", "mistakes_for", "L2"]

#: The coefficient of a silent L2 term, inferred when a mistake needs it.
L2 = Hyper("l2", sp.Symbol("l2", nonnegative=True), 1e-4, NONNEGATIVE, (1e-6, 1e-1), r"\lambda",
           "an L2 coefficient", ("weight_decay",))


@dataclass(frozen=True)
class Mistake:
    name: str
    title: str  # reads after "matches <rule> with ..."
    explanation: str  # what a learner should change
    transform: Callable[[Rule], list[tuple[str, Rule]]]  # (suffix, mistaken rule) per way it applies
    driver: Callable[[], Driver] | None = None
    detail: Callable[[int], str] | None = None  # extra text from the number of keys
    # a driver per way the mistake applies (the suffix of the transform), where they differ
    drivers: Callable[[str], Driver] | None = None
    # APIs where this reading comes before the others that give the same numbers (in
    # CS231n's API t lives in config, so t = 1 at every step is a reset, not a counter
    # never advanced)
    first_for: tuple[str, ...] = ()


def _derive(rule: Rule, suffix: str, **changes) -> Rule:
    summary = changes.pop("summary", f"{rule.summary}  [{suffix}]")
    return replace(rule, variant=f"{rule.variant}+{suffix}", summary=summary, difference=None,
                   **changes)


def _edit(rule: Rule, suffix: str, fn: Callable[[sp.Symbol, sp.Expr], sp.Expr]) -> Rule:
    return _derive(rule, suffix, assignments=tuple((t, fn(t, e)) for t, e in rule.assignments))


def _stateful(rule: Rule) -> bool:
    return bool(rule.states)


def _w_index(rule: Rule) -> int:
    return [t for t, _ in rule.assignments].index(W)


def _rates(rule: Rule):
    return [h.symbol for h in rule.hypers if h.domain.is_rate]


# -- the transformations ----------------------------------------------------------------
def _ascent(rule):
    return [("ascent", _edit(rule, "gradient-ascent", lambda t, e: 2 * W - e if t == W else e))]


def _lr_twice(rule):
    if LR not in {h.symbol for h in rule.hypers}:
        return []
    return [("", _edit(rule, "lr-twice", lambda t, e: e.xreplace({LR: LR**2})))]


def _silent_l2(rule):
    m = _edit(rule, "silent-l2", lambda t, e: e.xreplace({G: G + L2.symbol * W}))
    return [("", replace(m, hypers=rule.hypers + (L2,)))]


# families whose beta**t is not (only) a bias correction: RAdam's rho_t reads beta2**t,
# NAdam corrects m through its momentum schedule
_ENTANGLED_T = ("radam", "nadam")


def _no_bias(rule):
    if rule.family in _ENTANGLED_T:
        return []
    pows = [p for _, e in rule.assignments for p in e.atoms(sp.Pow) if p.exp == T]
    if not pows:
        return []
    return [("", _edit(rule, "no-bias-correction", lambda t, e: e.xreplace({p: 0 for p in pows})))]


def _uses_t(rule):
    """Whether a step counter matters: torch's SGD reads t only to clone its buffer at
    t = 1 (it has no counter; a buffer that is None), which no t mistake models."""
    first = {sp.Eq(T, 1): sp.false}
    return any(T in e.xreplace(first).free_symbols for _, e in rule.assignments)


def _betas_swapped(rule):
    names = {h.name: h.symbol for h in rule.hypers}
    if not {"beta1", "beta2"} <= set(names):
        return []
    b1, b2 = names["beta1"], names["beta2"]
    return [("", _edit(rule, "betas-swapped", lambda t, e: e.xreplace({b1: b2, b2: b1})))]


def _moments_swapped(rule):
    """m and v exchanged in the step itself: v_hat / (sqrt(m_hat) + eps), or v / (sqrt(m) + eps)."""
    names = {s.name: s.symbol for s in rule.states}
    names.update({t.name: t for t, _ in rule.assignments})
    if not {"m", "v"} <= set(names):
        return []
    sw = {names["m"]: names["v"], names["v"]: names["m"]}
    if {"m_hat", "v_hat"} <= set(names):
        sw.update({names["m_hat"]: names["v_hat"], names["v_hat"]: names["m_hat"]})
    step = dict(rule.assignments)[W].free_symbols
    if not (step & {names["m"], names.get("m_hat")} and step & {names["v"], names.get("v_hat")}):
        return []  # the step reads the moments through other temporaries (NAdam, RAdam)
    return [("", _edit(rule, "moments-swapped", lambda t, e: e.xreplace(sw) if t == W else e))]


def _decays_swapped(rule):
    out = []
    for s in rule.states:
        expr = dict(rule.assignments)[s.symbol]
        for d in _rates(rule):
            if expr.has(1 - d) and expr.has(d * s.symbol):
                out.append((s.name, _edit(rule, f"decays-swapped-{s.name}",
                                          lambda t, e, d=d, s=s: e.xreplace({d: 1 - d})
                                          if t == s.symbol else e)))
    return out


def _not_accumulated(rule):
    return [(s.name, _edit(rule, f"not-accumulated-{s.name}",
                           lambda t, e, s=s: e.xreplace({s.symbol: 0}) if t == s.symbol else e))
            for s in rule.states]


def _ones_init(rule):
    return [(s.name, _derive(rule, f"ones-init-{s.name}", states=tuple(
        replace(x, init=sp.Integer(1)) if x is s else x for x in rule.states)))
        for s in rule.states if s.init != 1]


def _reordered(rule, w_first: bool, suffix: str):
    """W (and the temporaries it needs) moved before, or after, the state assignments."""
    if not rule.states:
        return []
    states = {s.symbol for s in rule.states} | {t for t, _ in rule.assignments if t != W}
    state_part = [a for a in rule.assignments if a[0] in states]
    other = [a for a in rule.assignments if a[0] not in states]
    if w_first:  # W reads the temporaries (m_hat) as the OLD states make them: inlined
        own = {s.symbol for s in rule.states}
        temps = [(t, e) for t, e in rule.assignments if t != W and t not in own]

        def inline(e):
            for _ in temps:  # a temporary may read an earlier one
                e = e.xreplace(dict(temps))
            return e

        other = [(t, inline(e) if t == W else e) for t, e in other]
    order = (*other, *state_part) if w_first else (*state_part, *other)
    if list(order) == list(rule.assignments):
        return []
    return [("", _derive(rule, suffix, assignments=tuple(order)))]


def _old_velocity(rule):
    """The velocity (or torch's momentum buffer, in its SGD) applied before it is updated."""
    if rule.family not in ("momentum", "nesterov") and not (rule.family == "sgd" and rule.states):
        return []
    return _reordered(rule, True, "old-velocity")


def _stale_state(rule):
    if rule.family in ("momentum", "nesterov", "sgd"):
        return []
    return _reordered(rule, True, "stale-state")


def _nesterov_early(rule):
    if rule.family != "nesterov":
        return []
    return _reordered(rule, False, "nesterov-early-form")


def _eps_on_update(rule):
    """``lr g / sqrt(h) + eps`` as one term subtracted (W - (step + eps)), or eps left
    outside the subtraction (W - step + eps: a CS231n solution seen in public)."""
    if EPS not in rule.composed[W].free_symbols:
        return []
    return [("", _edit(rule, "eps-on-update",
                       lambda t, e: e.xreplace({EPS: 0}) - EPS if t == W else e)),
            ("plus", _edit(rule, "eps-on-update-plus",
                           lambda t, e: e.xreplace({EPS: 0}) + EPS if t == W else e))]


def _root_missing(rule):
    """``g / (h + eps)`` for ``g / (sqrt(h) + eps)``: the square root of a state forgotten
    (a bias correction's root, in the eps-hat form's step size, is left alone)."""
    states = {s.symbol for s in rule.states} | {t for t, _ in rule.assignments if t != W}

    def of_state(a):
        return a.is_Pow and a.exp == sp.Rational(1, 2) and bool(a.base.free_symbols & states)

    if not any(of_state(x) for _, e in rule.assignments for x in sp.preorder_traversal(e)):
        return []
    return [("", _edit(rule, "root-missing", lambda t, e: e.replace(of_state, lambda a: a.base)))]


def _eps_inside(rule):
    """``sqrt(x) + eps`` written ``sqrt(x + eps)``.  Where the result is a variant of the
    family in the same API (AdaGrad's, RMSProp's and Adam's ``eps_inside``) it is not a
    mistake, and is not offered; torch's optimizers and Adam's eps-hat form have none."""
    from ._registry import family

    def root(a):  # a square root, a product of them (NAdam), or a Piecewise of them (RMSprop)
        if a.is_Pow and a.exp == sp.Rational(1, 2):
            return True
        if a.is_Mul:
            return all(root(x) for x in a.args)
        return isinstance(a, sp.Piecewise) and all(root(x) for x, _ in a.args)

    def radicand(a):
        return sp.Mul(*(radicand(x) for x in a.args)) if a.is_Mul else a.base

    def under(a):
        if isinstance(a, sp.Piecewise):
            return sp.Piecewise(*((under(x), c) for x, c in a.args))
        return sp.sqrt(radicand(a) + EPS)

    def outside(e):
        return e.is_Add and EPS in e.args and any(root(a) for a in e.args)

    def inside(e):
        rest = [a for a in e.args if a != EPS]
        r = next(a for a in rest if root(a))
        rest.remove(r)
        return under(r) + sp.Add(*rest)

    if not any(e.has(EPS) and any(outside(x) for x in sp.preorder_traversal(e))
               for _, e in rule.assignments):
        return []
    mistaken = _edit(rule, "eps-inside", lambda t, e: e.replace(outside, inside))
    if any(r.api == rule.api and r.assignments == mistaken.assignments and r.states == rule.states
           for r in family(rule.family).variants):
        return []
    return [("", mistaken)]


def _bias_corrections(rule, which: str):
    """One bias correction with the other moment's beta (``v / (1 - beta1**t)``, or
    ``m / (1 - beta2**t)``), or the two swapped."""
    names = {h.name: h.symbol for h in rule.hypers}
    if rule.family in _ENTANGLED_T or not {"beta1", "beta2"} <= set(names):
        return []
    p1, p2 = names["beta1"]**T, names["beta2"]**T
    pows = {p for _, e in rule.assignments for p in e.atoms(sp.Pow) if p.exp == T}
    if not {p1, p2} <= pows:
        return []
    if which == "swapped":
        return [("", _edit(rule, "bias-corrections-swapped",
                           lambda t, e: e.xreplace({p1: p2, p2: p1})))]
    return [("v", _edit(rule, "bias-correction-beta-v", lambda t, e: e.xreplace({p2: p1}))),
            ("m", _edit(rule, "bias-correction-beta-m", lambda t, e: e.xreplace({p1: p2})))]


def _t_reset(rule):
    """t set in the body of every call (0, then advanced to 1; or 1, advanced to 2)."""
    if not _uses_t(rule):
        return []
    return [(f"to-{k}", _derive(rule, f"t-reset-every-call-to-{k}")) for k in (0, 1)]


def _eps_missing(rule):
    if EPS not in {h.symbol for h in rule.hypers}:
        return []
    return [("", _derive(rule, "eps-missing", assignments=tuple(
        (t, e.xreplace({EPS: 0})) for t, e in rule.assignments)))]


def _driver_only(suffix, condition):
    def transform(rule):
        return [("", _derive(rule, suffix))] if condition(rule) else []
    return transform


def _t_per_key_detail(n_keys: int) -> str:
    ran = ", ".join(str(i) for i in range(1, min(n_keys, 4) + 1)) + (", ..." if n_keys > 4 else "")
    return f"{n_keys} keys: t ran {ran}{f', {n_keys}' if n_keys > 4 else ''} in the first update"


MISTAKES: tuple[Mistake, ...] = (
    Mistake("gradient-ascent", "gradient ascent (the sign of the step flipped)",
            "the step is added instead of subtracted; W must move against the gradient", _ascent),
    Mistake("lr-twice", "the learning rate applied twice",
            "lr multiplies the step twice (lr**2); apply it once", _lr_twice),
    Mistake("silent-l2", "a silent L2 term (g + l2 W)",
            "the gradient gets an extra l2 * W; the spec has no weight decay here", _silent_l2),
    Mistake("no-bias-correction", "no bias correction",
            "m and v start at zero and must be divided by 1 - beta**t", _no_bias),
    Mistake("t-per-key", "the step counter advanced once per key",
            "advance t once per update call, before the loop over keys",
            _driver_only("t-per-key", _uses_t),
            lambda: Driver(t=lambda step, i, n: (step - 1) * n + i + 1), _t_per_key_detail),
    Mistake("t-never-advanced", "the step counter never advanced (t = 1 at every step)",
            "advance t by one at every update call", _driver_only("t-never-advanced", _uses_t),
            lambda: Driver(t=lambda step, i, n: 1)),
    Mistake("t-used-before-advanced", "the step counter used before it is advanced (t = 0 first)",
            "advance t before computing the bias correction: t = 1 on the first step",
            _driver_only("t-used-before-advanced", _uses_t),
            lambda: Driver(t=lambda step, i, n: step - 1)),
    Mistake("t-starts-at-1", "the step counter starting at 1 and advanced first (t = 2 first)",
            "start t at 0 and advance it before use, so that the first step has t = 1",
            _driver_only("t-starts-at-1", _uses_t),
            lambda: Driver(t=lambda step, i, n: step + 1)),
    Mistake("t-reset-every-call",
            "the step counter reset on every call (set to 0 or 1 in the body, so t is the "
            "same at every step)",
            "keep t from call to call: create it once (config.setdefault('t', 0), or "
            "self.t = 0 in __init__), then advance it by one before using it",
            _t_reset, drivers=lambda suffix: Driver(
                t=lambda step, i, n, k=int(suffix[-1]): k + 1),
            first_for=("cs231n",)),
    Mistake("betas-swapped", "beta1 and beta2 swapped",
            "beta1 decays the first moment (m) and beta2 the second (v)", _betas_swapped),
    Mistake("moments-swapped", "the first and second moments swapped in the step",
            "the step is m_hat / (sqrt(v_hat) + eps): m on top, v under the root", _moments_swapped),
    Mistake("decays-swapped", "the two decays swapped in a moving average",
            "a moving average keeps rho of the old value and adds (1 - rho) of the new",
            _decays_swapped),
    Mistake("bias-correction-beta",
            "a bias correction with the other moment's beta (v_hat = v / (1 - beta1**t), "
            "or m_hat = m / (1 - beta2**t))",
            "m is corrected by 1 - beta1**t and v by 1 - beta2**t, each with its own decay",
            lambda rule: _bias_corrections(rule, "one")),
    Mistake("bias-corrections-swapped",
            "the two bias corrections swapped (m_hat = m / (1 - beta2**t), v_hat = v / "
            "(1 - beta1**t))",
            "m is corrected by 1 - beta1**t and v by 1 - beta2**t, each with its own decay",
            lambda rule: _bias_corrections(rule, "swapped")),
    Mistake("not-accumulated", "the state not accumulated (it forgets its previous value)",
            "the new state must be built from the old one, e.g. h += g * g", _not_accumulated),
    Mistake("state-reset", "the state reset on every call",
            "create the state once (if it is None, or per key on first use), not in every update",
            _driver_only("state-reset", _stateful), lambda: Driver(reset_state=True)),
    Mistake("state-shared", "one state shared by all keys",
            "keep one state per key: self.v[key], not one self.v for every parameter",
            _driver_only("state-shared", _stateful), lambda: Driver(shared_state=True)),
    Mistake("old-velocity", "the old velocity applied instead of the new",
            "update the velocity first, then move W with the new velocity", _old_velocity),
    Mistake("stale-state", "W moved before the state was updated (the previous step's state)",
            "update the state with this step's gradient first, then move W", _stale_state),
    Mistake("nesterov-early-form",
            "the velocity updated before the look-ahead move (an early printing of the book)",
            "Bengio's form moves W with the OLD velocity: W += mu*mu*v - (1+mu)*lr*g, then "
            "v = mu*v - lr*g", _nesterov_early),
    Mistake("eps-on-update", "epsilon added to the whole update (lr g / sqrt(h) + eps)",
            "epsilon belongs in the denominator: lr * g / (sqrt(h) + eps)", _eps_on_update),
    Mistake("root-missing", "the square root missing (g / (h + eps), not g / (sqrt(h) + eps))",
            "divide by the square root of the accumulated squares: np.sqrt(h) + eps; without "
            "it the step scales like 1/g instead of staying near lr", _root_missing),
    Mistake("eps-inside", "epsilon inside the square root (sqrt(v + eps), not sqrt(v) + eps)",
            "this optimizer adds epsilon outside the root: sqrt(v) + eps; under the root the "
            "same eps acts like eps**2 outside it", _eps_inside),
    Mistake("eps-missing", "epsilon missing (0/0 on zero gradients)",
            "add a small epsilon to the denominator so that a zero gradient gives a zero step",
            _eps_missing),
    Mistake("ones-init", "the state initialised to ones instead of zeros",
            "start the state at zeros: np.zeros_like(param)", _ones_init),
)


@lru_cache(maxsize=None)
def mistakes_for(rule: Rule, api: str | None = None) -> tuple[tuple[Mistake, Rule, Driver], ...]:
    """Every way each mistake applies to ``rule``: (mistake, mistaken rule, driver), the
    mistakes that come first for ``api`` (`Mistake.first_for`) first."""
    out = []
    for m in sorted(MISTAKES, key=lambda m: api not in m.first_for):
        for suffix, mistaken in m.transform(rule):
            driven = m.driver is not None or m.drivers is not None
            if not driven and _same_numbers(rule, mistaken):
                continue  # the edit touched nothing the step computes
            driver = (m.drivers(suffix) if m.drivers else m.driver() if m.driver else CORRECT)
            out.append((m, mistaken, driver))
    return tuple(out)


def _same_numbers(rule: Rule, mistaken: Rule) -> bool:
    return (mistaken.assignments == rule.assignments and mistaken.states == rule.states
            and mistaken.hypers == rule.hypers)
