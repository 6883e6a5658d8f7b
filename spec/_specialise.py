"""A rule with its flags fixed and its step-level branches decided.

torch's switches (``nesterov``, ``amsgrad``, ...) are flags, and its code
branches on values that depend only on the step and the hyperparameters
(``momentum == 0``, ``t == 1`` for SGD's buffer, ``weight_decay != 0``,
RAdam's ``rho_t > 5``).  Both are decided here before anything is compiled:
the oracle's kernel and the error bound are built from the branch taken only,
so a flag that is off costs nothing in either, the bound counts no rounding of
a term that is not computed, and a branch not taken is never evaluated
(RAdam's rectifier is the root of a negative number at t = 3).

A condition is decided on the exact values (the hyperparameters' binary
values, evaluated at the oracle's precision), as the spec's own arithmetic
is exact.  Each combination is made once per rule and kept, so its kernel
and bound are compiled once (`spec.oracle` caches them by the specialised
rule).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Mapping

import mpmath
import sympy as sp

from ._rule import T, Rule

__all__ = ["Specialiser", "specialiser"]

#: Failures of a condition that cannot be evaluated (1 - beta**0 = 0 at t = 0).
_ERRORS = (ZeroDivisionError, ValueError, TypeError, OverflowError)


class Specialiser:
    """Decides a rule's flags and step-level conditions, and keeps each specialised rule.

    ``key(t, values, prec)`` is the combination a step takes (None when a
    condition cannot be evaluated there, e.g. a division by ``1 - beta**t``
    at ``t = 0``); ``rule(key)`` the rule with those branches collapsed.
    A rule with no flags and no step-level ``Piecewise`` has one key.
    """

    def __init__(self, rule: Rule):
        self.base = rule
        self._flags = [h for h in rule.hypers if h.flag]
        self._numbers = [h for h in rule.hypers if not h.flag]
        self._by_flags: dict[tuple, tuple] = {}
        self._rules: dict[tuple, Rule] = {}

    def key(self, t: int, values: Mapping[str, float], prec: int) -> tuple | None:
        flags = tuple(bool(values[h.name]) for h in self._flags)
        assignments, conditions, evaluate = self._conditions(flags)
        if not conditions:
            return (flags, ())
        try:
            with mpmath.workprec(prec):
                decided = evaluate(t, *(mpmath.mpf(float(values[h.name]))
                                        for h in self._numbers))
        except _ERRORS:
            return None
        return (flags, tuple(bool(d) for d in decided))

    def rule(self, key: tuple) -> Rule:
        if key not in self._rules:
            flags, decided = key
            assignments, conditions, _ = self._conditions(flags)
            at = {c: (sp.true if d else sp.false) for c, d in zip(conditions, decided)}
            new = tuple((target, expr.xreplace(at)) for target, expr in assignments)
            self._rules[key] = (self.base if new == self.base.assignments
                                else replace(self.base, assignments=new))
        return self._rules[key]

    def _conditions(self, flags: tuple):
        """The assignments with the flags substituted, their step-level conditions,
        and a function of (t, *numeric hypers) deciding them."""
        if flags not in self._by_flags:
            fixed = {h.symbol: (sp.true if v else sp.false) for h, v in zip(self._flags, flags)}
            assignments = tuple((target, expr.xreplace(fixed))
                                for target, expr in self.base.assignments)
            step = {T} | {h.symbol for h in self._numbers}
            env: dict = {}
            conditions, full = [], []
            for target, expr in assignments:
                for pw in sorted(expr.atoms(sp.Piecewise), key=sp.default_sort_key):
                    for _, c in pw.args:
                        if c in (sp.true, sp.false) or c in conditions:
                            continue
                        composed = c.xreplace(env)  # temporaries by their values
                        if composed.free_symbols <= step:
                            conditions.append(c)
                            full.append(composed)
                env[target] = expr.xreplace(env)
            evaluate = (sp.lambdify([T, *(h.symbol for h in self._numbers)], full,
                                    modules="mpmath") if full else None)
            self._by_flags[flags] = (assignments, conditions, evaluate)
        return self._by_flags[flags]


@lru_cache(maxsize=None)
def specialiser(rule: Rule) -> Specialiser:
    """The one `Specialiser` of ``rule`` (so its specialised rules, and what is
    compiled from them, are made once)."""
    return Specialiser(rule)
