"""Judging numbers: which variants a trajectory matches, and the constants it hard-codes.

The oracle of each variant runs on the exact inputs the target received; the
target's updates are compared with `spec.compare`.  A hyperparameter the
constructor does not take (the book's epsilon) is inferred: first from the
values the sources of the family use, then by solving the oracle for it on
the element most sensitive to it, snapped to the shortest decimal that still
matches exactly.

Explaining a failure asks many questions of few runs: the answers for the last runs
judged are kept, and a known mistake whose exact numbers are grossly off is set aside
before its error bounds are computed (a mistake is still named only within them).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import product

import numpy as np

import spec
from spec import Rule
from spec.compare import Mismatch, compare
from spec.mistakes import Mistake, mistakes_for
from spec.oracle import CORRECT, Driver

from ._session import Trajectory


@dataclass
class Match:
    """A variant with the hyperparameters that make it agree (or its first mismatch)."""

    rule: Rule
    hypers: dict[str, float]
    mismatch: Mismatch | None = None
    inferred: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.mismatch is None


def hyper_schedule(hypers: dict[str, float], steps: int, lr_schedule: list[float] | None):
    if lr_schedule is None:
        return hypers
    return [dict(hypers, lr=lr) for lr in lr_schedule]


#: check_against's answers for the last few runs judged.  Diagnosing one failure asks the
#: same question of the same run again and again (the fingerprint without, then with,
#: solving for constants; every mistake in two passes; its equivalents), and each answer
#: is an oracle run with error bounds: two thirds of a diagnosis were repeats.
_MEMO: OrderedDict[int, tuple[Trajectory, dict, dict]] = OrderedDict()
_MEMO_RUNS = 8


def check_against(rule: Rule, hypers: dict[str, float], traj: Trajectory, grads: list[dict],
                  lr_schedule: list[float] | None = None, driver: Driver = CORRECT,
                  strict: bool = False) -> Mismatch | None:
    """The first element where ``traj`` leaves ``rule``'s bound, or None."""
    entry = _MEMO.get(id(traj))
    if entry is None or entry[0] is not traj:
        entry = _MEMO[id(traj)] = (traj, {}, {})
        while len(_MEMO) > _MEMO_RUNS:
            _MEMO.popitem(last=False)
    _MEMO.move_to_end(id(traj))
    _, held, answers = entry
    held[id(grads)] = grads  # held, so that its id names it while the answer is kept
    key = (rule, tuple(sorted(hypers.items())), id(grads),
           None if lr_schedule is None else tuple(lr_schedule), driver, strict)
    if key not in answers:
        # strictly (is this the code's mistake?), a gross difference from the exact numbers
        # says no at a tenth of the cost: the error bounds are neither computed nor compiled
        answers[key] = (strict and _grossly_off(rule, hypers, traj, grads, lr_schedule, driver)
                        or _check_against(rule, hypers, traj, grads, lr_schedule, driver, strict))
    return answers[key]


#: A mistake is set aside without its error bounds where the code's update is off from the
#: mistaken rule's exact one by more than this fraction of the larger of the two (and by
#: more than `_W_ULPS` ULPs of the parameter, whose rounding any update goes through), at
#: an element whose update is not tiny next to its key's largest (cancellation makes an
#: update small, and only there can a correct bound be that wide).  Explaining a failure tries
#: every known mistake of every variant, 80 for Adam, and compiling each one's bounds was
#: most of the time; most mistakes are off by a factor or a sign.  Setting one aside can
#: only leave a mistake unnamed, never name a wrong one: a mistake is named only after the
#: bounded comparison, on every run seen.
GROSS = 0.5
_NOT_TINY = 1e-3
_W_ULPS = 16  # and by more than this many ULPs of the parameter (its own rounding)


def _grossly_off(rule, hypers, traj, grads, lr_schedule, driver) -> Mismatch | None:
    """The first element (step by step) where ``traj``'s update is grossly off ``rule``'s
    exact one, as a mismatch with no bound (``allowed`` 0), or None."""
    params0 = {k: _as_float_array(v) for k, v in traj.got[0].items()}
    steps = len(traj.got) - 1
    try:
        oracle = spec.Oracle(rule).run(params0, grads[:steps],
                                       hyper_schedule(hypers, steps, lr_schedule), driver=driver)
    except spec.SpecError:
        return None  # the bounded comparison says how
    for k in range(1, steps + 1):
        exact = oracle.update(k)
        for key, want_exact in exact.items():
            new, old = traj.got[k].get(key), traj.got[k - 1].get(key)
            if new is None or old is None:
                return None
            a, b = _as_float_array(new), _as_float_array(old)
            if a.shape != b.shape or a.shape != want_exact.shape:
                return None
            # in float64 the difference is exact, or within an ULP far below the slack
            have = (a.astype(np.float64) - b.astype(np.float64)).ravel()
            want = np.array([float(x) for x in want_exact.ravel()])
            finite = np.isfinite(have) & np.isfinite(want)
            if not finite.any():
                continue
            scale = np.maximum(np.abs(have), np.abs(want))
            big = scale >= _NOT_TINY * np.max(np.abs(want[finite]), initial=0.0)
            # an update is seen through the parameter it is added to: however right, it
            # is rounded to the parameter's ULP (a step of 1e-20 on a weight of 0.5 is 0)
            info = np.finfo(a.dtype if a.dtype.kind == "f" else np.float64)
            through_w = _W_ULPS * float(info.eps) * np.maximum(np.abs(a), np.abs(b)).ravel()
            slack = GROSS * scale + through_w + _W_ULPS * float(info.smallest_subnormal)
            gross = finite & big & (np.abs(have - want) > slack)
            if gross.any():
                i = int(np.argmax(gross))
                index = tuple(int(j) for j in np.unravel_index(i, a.shape)) if a.shape else ()
                return Mismatch(k, key, index, "numeric", float(want[i]), float(have[i]),
                                float(abs(have[i] - want[i])), 0.0, math.inf, 0.0, a.dtype.name)
    return None


def _check_against(rule, hypers, traj, grads, lr_schedule, driver, strict) -> Mismatch | None:
    params0 = {k: _as_float_array(v) for k, v in traj.got[0].items()}
    steps = len(traj.got) - 1
    try:
        oracle = spec.Oracle(rule).run(params0, grads[:steps],
                                       hyper_schedule(hypers, steps, lr_schedule),
                                       bounds=True, driver=driver)
    except spec.SpecError:  # e.g. one state shared by keys of different shapes
        return _UNMODELLED
    found = compare(oracle, [{k: _as_stored(v, params0[k].dtype) for k, v in g.items()}
                             for g in traj.got], limit=1, strict=strict)
    return found[0] if found else None


def _as_stored(value, dtype: np.dtype) -> np.ndarray:
    """The value as the caller's array would hold it, written in place: an update that
    rebinds params[key] to an array of another dtype (float32 promoted to float64 by a
    NumPy float64 scalar) is judged in the dtype it was given, the rebinding itself
    being the in-place property's failure, not a wrong number."""
    a = _as_float_array(value)
    return a.astype(dtype) if a.dtype != dtype else a


@dataclass
class Seen:
    """One run the check made, kept so that an explanation can be held to all of them."""

    traj: Trajectory
    grads: list[dict]
    passed: dict[str, float]  # the values given to the constructor (spec names)
    lr_schedule: list[float] | None = None
    what: str = "a drawn problem"
    first: dict[str, int] = field(default_factory=dict)  # variant -> step it left it, if known


def explains_all(seen: list[Seen], rule: Rule, hypers: dict, driver: Driver = CORRECT,
                 fixed: tuple[str, ...] = ()) -> bool:
    """Does ``rule`` (a variant, or a mistaken one with its driver) with ``hypers``
    reproduce every run in ``seen``?  Each run keeps the values it was given, except the
    names in ``fixed`` (a setting the code ignores keeps its hard-coded value)."""
    for s in seen:
        h = dict(hypers, **{k: v for k, v in s.passed.items() if k in hypers and k not in fixed})
        if check_against(rule, h, s.traj, s.grads, s.lr_schedule, driver, strict=True) is not None:
            return False
    return True


# what check_against says when the rule cannot even be evaluated on these inputs
_UNMODELLED = Mismatch(0, "", (), "numeric", math.nan, math.nan, math.inf, 0.0, math.inf, 0.0,
                       "float64")


def _as_float_array(v):
    a = np.asarray(v)
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    return a


def in_scope(family: str, api: str = "book") -> list[Rule]:
    """The variants a target of this API can be: a framework's own for its optimizers
    (torch.optim, optax, Keras: their flags are arguments, never constants to infer), the
    others for every other API."""
    want = api if api in ("torch", "optax", "keras") else None
    return [r for r in spec.family(family).variants if r.api == want]


def _candidates(of: Rule, name: str) -> list[float]:
    """Values the sources of ``of``'s family (within its scope) use for hyperparameter
    ``name``, most common first."""
    seen: dict[float, int] = {}
    for rule in in_scope(of.family, of.api or "book"):
        for source in rule.sources:
            if name in source.defaults:
                v = float(source.defaults[name])
                seen[v] = seen.get(v, 0) + 1
    return sorted(seen, key=lambda v: -seen[v])


def closest(matches: list[Match]) -> Match:
    """The variant that agreed longest: latest first mismatch, then the smallest error."""
    def key(m: Match):
        mm = m.mismatch
        if mm is None:
            return (math.inf, 0.0)
        ratio = mm.error / mm.allowed if mm.allowed else math.inf
        return (mm.step, -ratio)
    return max(matches, key=key)


def fingerprint(family: str, known: dict[str, float], hard_coded: list[str], traj: Trajectory,
                grads: list[dict], only: str | None = None, api: str = "book",
                solve: bool = True) -> list[Match]:
    """Every variant of ``family``, each with its best hyperparameters for ``traj``.

    ``known`` are the values the target was given; ``hard_coded`` the names it
    was not given, whose values are inferred per variant (``solve=False``: only
    the values the sources use are tried, none is solved for).
    """
    out = []
    for rule in in_scope(family, api):
        if only is not None and rule.variant != only:
            continue
        out.append(_fit(rule, known, hard_coded, traj, grads, solve=solve))
    return out


def _fit(rule: Rule, known, hard_coded, traj, grads, driver: Driver = CORRECT,
         strict: bool = False, solve: bool = True, max_unknowns: int = 3) -> Match:
    used = used_hypers(rule)
    names = [h for h in hard_coded if h in used]
    base = {h.name: known.get(h.name, h.default) for h in rule.hypers}
    check = lambda hypers: check_against(rule, hypers, traj, grads, None, driver, strict)  # noqa
    if not names:
        return Match(rule, base, check(base))
    tried: list[Match] = []
    options = [_candidates(rule, n) or [rule.defaults[n]] for n in names]
    for combo in list(product(*options))[:16]:
        hypers = dict(base, **dict(zip(names, combo)))
        m = Match(rule, hypers, check(hypers), dict(zip(names, combo)))
        if m.ok:
            return m
        tried.append(m)
    if solve and len(names) <= max_unknowns:
        best = closest(tried)
        solved = _solve(rule, base, names, {n: best.hypers[n] for n in names}, traj, grads, check)
        if solved is not None:
            return solved
    return closest(tried)


def used_hypers(rule: Rule) -> set[str]:
    """The hyperparameters the rule's equations read (a mistake may drop one)."""
    symbols = set().union(*(e.free_symbols for e in rule.composed.values()))
    return {h.name for h in rule.hypers if h.symbol in symbols}


def rank(matches: list[Match]) -> list[Match]:
    """Matching variants, the most plausible first: a variant whose inferred constants
    its own sources use (or that needs none) before one that needs an odd constant
    to agree (TensorFlow 1's AdaGrad, accumulator from 0.1 without epsilon, is also
    epsilon-inside-the-root with eps = 0.1)."""
    order = {id(m): i for i, m in enumerate(matches)}

    def odd(m: Match) -> int:
        used = {float(s.defaults[k]) for s in m.rule.sources for k in s.defaults}
        return sum(1 for v in m.inferred.values() if float(v) not in used)
    return sorted(matches, key=lambda m: (odd(m), order[id(m)]))


@dataclass
class Named:
    """A failing implementation explained: the variant it meant and the mistake it makes."""

    mistake: Mistake
    match: Match
    base: Rule  # the variant the mistake was made in
    equivalent: list[Mistake] = field(default_factory=list)  # same numbers, other words

    def describe(self, n_keys: int) -> str:
        extra = f" ({self.mistake.detail(n_keys)})" if self.mistake.detail else ""
        consts = "".join(f", {k} = {v:g}" for k, v in self.match.inferred.items() if k == "l2")
        same = "".join(f"; equivalently, {m.title}" for m in self.equivalent)
        return f"matches {self.base.name} with {self.mistake.title}{extra}{consts}{same}"


def name_mistake(family: str, known: dict, hard_coded: list[str], traj: Trajectory,
                 grads: list[dict], api: str = "book", solves=(False, True),
                 confirm=None) -> Named | None:
    """The first known mistake that reproduces ``traj`` exactly, in any variant, and that
    ``confirm`` (given the mistaken rule, its driver and constants) accepts: the other
    disagreements the run saw must be reproduced too, or the explanation is not claimed.

    Mistakes that need no constant solved for come first: a fitted constant can
    make a mistake look like another (an epsilon of 1e-17 added to the update
    mimics a missing epsilon), and the plainer explanation is the right one.
    """
    for solve in solves:
        for rule in in_scope(family, api):
            for mistake, mistaken, driver in mistakes_for(rule, api):
                needs = "l2" in mistaken.defaults
                if needs and not solve:
                    continue
                free = list(hard_coded) + (["l2"] if needs else [])
                m = _fit(mistaken, known, free, traj, grads, driver, strict=True, solve=solve)
                if m.ok and (confirm is None or confirm(mistaken, driver, m.hypers)):
                    return Named(mistake, m, rule, _equivalents(rule, mistake, m, traj, grads))
    return None


def _equivalents(rule: Rule, found: Mistake, match: Match, traj, grads) -> list[Mistake]:
    """Other mistakes of the same variant that give exactly the same numbers here
    (for a one-state rule, a state reset every call is a state never accumulated)."""
    out = []
    for mistake, mistaken, driver in mistakes_for(rule):
        if mistake is found or mistake in out or "l2" in mistaken.defaults:
            continue
        hypers = {h.name: match.hypers.get(h.name, h.default) for h in mistaken.hypers}
        if check_against(mistaken, hypers, traj, grads, None, driver, strict=True) is None:
            out.append(mistake)
    return out


def _root(rule: Rule, hypers: dict, name: str, traj: Trajectory, grads: list[dict],
          check) -> float | None:
    """The value of ``name`` (others as in ``hypers``) that makes the oracle reproduce the
    first element that disagrees: a log-spaced scan for a sign change, then bisection.

    The solve uses the correct driver; ``check`` confirms any value on everything.
    """
    hyper = rule.hyper(name)
    lo, hi = (1e-20, 1.0) if hyper.domain.hi > 1 else (1e-6, 1 - 1e-9)
    first = check(hypers)
    if first is None or first.kind != "numeric" or not first.key:
        return None
    key, index, step = first.key, first.index, first.step

    def pick(d):
        return {key: np.asarray(d[key])[index] if index else d[key]}

    def residual(x: float) -> float:
        oracle = spec.Oracle(rule).run({key: _as_float_array(pick(traj.got[0])[key])},
                                       [pick(g) for g in grads[:step]], dict(hypers, **{name: x}))
        want = float(oracle.update(step)[key].item())
        have = float(_as_float_array(pick(traj.got[step])[key])) - \
            float(_as_float_array(pick(traj.got[step - 1])[key]))
        return want - have

    xs = np.geomspace(lo, hi, 41)
    try:
        ys = [residual(float(x)) for x in xs]
    except spec.SpecError:
        return None
    for a, b, fa, fb in zip(xs, xs[1:], ys, ys[1:]):
        if fa == 0:
            return float(a)
        if math.isfinite(fa) and math.isfinite(fb) and (fa < 0) != (fb < 0):
            a, b = float(a), float(b)
            for _ in range(80):
                mid = math.sqrt(a * b)
                fm = residual(mid)
                if (fm < 0) == (fa < 0):
                    a, fa = mid, fm
                else:
                    b = mid
            return math.sqrt(a * b)
    return None


def _snap(rule: Rule, hypers: dict, names: list[str], check) -> Match | None:
    """The shortest decimals of the solved values that reproduce everything exactly."""
    for digits in (1, 2, 3, 4, 6, 17):
        snapped = {n: float(f"{hypers[n]:.{digits - 1}e}") for n in names}
        full = dict(hypers, **snapped)
        if check(full) is None:
            return Match(rule, full, None, snapped)
    return None


def _solve(rule: Rule, base: dict, names: list[str], start: dict, traj: Trajectory,
           grads: list[dict], check, rounds: int = 4) -> Match | None:
    """Solve for the hard-coded constants: one by one, in turn, until they all fit.

    With one unknown a single solve decides it; with two (a class that hard-codes
    both beta2 and eps), each is solved with the others at their current values,
    and the round repeats, since the element each solve uses changes as they move.
    """
    current = dict(base, **start)
    for _ in range(rounds if len(names) > 1 else 1):
        for name in names:
            root = _root(rule, current, name, traj, grads, check)
            if root is not None:
                current[name] = _shortest(current, name, root, check)
        found = _snap(rule, current, names, check)
        if found is not None:
            return found
    return None


def _shortest(hypers: dict, name: str, root: float, check) -> float:
    """The shortest decimal near ``root`` that agrees at least as far as ``root`` does.

    Snapping one constant before solving the next moves the first disagreement to
    where the next one matters (Adam's first step does not depend on beta2).
    """
    def reach(x):
        m = check(dict(hypers, **{name: x}))
        return (math.inf,) if m is None else (m.step, m.key, m.index)
    best = reach(root)
    for digits in (1, 2, 3, 4, 6):
        value = float(f"{root:.{digits - 1}e}")
        if reach(value) >= best:
            return value
    return root
