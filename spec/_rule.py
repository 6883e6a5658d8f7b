"""The data an update rule is made of: hyperparameters, state, sources, assignments.

A rule is data, not code.  One step of an optimizer is an ordered list of
elementwise assignments ``target <- expression``; the expressions read the
parameter ``W``, the gradient ``g``, the step counter ``t`` (1 on the first
step, advanced before use), the hyperparameters and the state, and later
assignments see the values given by earlier ones.  Everything else (the
oracle, the printed equations, the proofs, the error bounds) is derived from
this data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import sympy as sp

from .errors import InvalidHyperparameter

__all__ = ["Domain", "Hyper", "State", "Source", "Constraint", "Rule", "Family", "W", "G", "T",
           "FLAG"]

#: The parameter, the gradient and the step counter, shared by every rule.
W = sp.Symbol("W", real=True)
G = sp.Symbol("g", real=True)
T = sp.Symbol("t", integer=True, positive=True)


@dataclass(frozen=True)
class Domain:
    """An interval of valid values, e.g. ``[0, 1)`` for a decay rate.

    ``flag``: the two values 0 and 1 only (a boolean switch such as torch's
    ``nesterov`` or ``maximize``; `FLAG`).
    """

    lo: float
    hi: float = math.inf
    lo_closed: bool = True
    hi_closed: bool = False
    flag: bool = False

    def __contains__(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.flag:
            return value in (0.0, 1.0)
        above = value >= self.lo if self.lo_closed else value > self.lo
        below = value <= self.hi if self.hi_closed else value < self.hi
        return above and below

    def __str__(self) -> str:
        if self.flag:
            return "{0, 1}"
        hi = "inf" if math.isinf(self.hi) else f"{self.hi:g}"
        return f"{'[' if self.lo_closed else '('}{self.lo:g}, {hi}{']' if self.hi_closed else ')'}"

    @property
    def is_rate(self) -> bool:
        """A decay rate or momentum coefficient: a value inside [0, 1] (not a flag)."""
        return not self.flag and self.lo >= 0 and self.hi <= 1


UNIT = Domain(0.0, 1.0, True, False)  # decay rates: [0, 1)
CLOSED_UNIT = Domain(0.0, 1.0, True, True)  # torch's Adadelta rho, SGD's dampening: [0, 1]
NONNEGATIVE = Domain(0.0)  # learning rates, epsilon: [0, inf)
FLAG = Domain(0.0, 1.0, True, True, flag=True)  # a boolean switch: 0 (off) or 1 (on)


@dataclass(frozen=True)
class Hyper:
    """A hyperparameter: its argument name, symbol, default, domain and aliases.

    ``typical`` is the range a property test draws from: inside the domain, wide
    enough to separate variants, and away from values no one uses (a decay rate
    of exactly 0 makes the state vanish and hides every difference).

    A flag (``domain`` is `FLAG`) is a boolean switch named by the framework's
    own keyword (``nesterov``, ``maximize``, ``amsgrad``, ``centered``,
    ``decoupled_weight_decay``); its symbol is a SymPy boolean used only in
    conditions, its values are 0 and 1 (bools are accepted), its default 0.
    Its ``typical`` is ``(0, 0)``: code that draws every hyperparameter from
    ``typical`` gets the default, and tests that mean to sweep flags draw them
    explicitly (`Rule.flags`).
    """

    name: str
    symbol: sp.Symbol
    default: float
    domain: Domain
    typical: tuple[float, float]
    latex: str
    doc: str
    aliases: tuple[str, ...] = ()

    @property
    def flag(self) -> bool:
        """A boolean switch (values 0 and 1), not a number."""
        return self.domain.flag

    def with_default(self, default: float) -> "Hyper":
        return Hyper(self.name, self.symbol, default, self.domain, self.typical,
                     self.latex, self.doc, self.aliases)


@dataclass(frozen=True)
class State:
    """A per-element state variable and its value before the first step.

    ``init`` may read hyperparameters (torch's Adagrad starts its sum at
    ``initial_accumulator_value``); it is evaluated with the first step's values.
    ``dtype`` names the precision the state is kept in whatever the parameter's
    dtype (``"float32"``: torch keeps NAdam's ``mu_product`` in its default
    dtype); None, the usual case, means the parameter's own dtype.  The error
    bound counts that state's roundings in its own precision (`spec.bound`).
    """

    name: str
    symbol: sp.Symbol
    init: sp.Expr
    latex: str
    doc: str
    dtype: str | None = None


def describe_init(init: sp.Expr) -> str:
    """A state's initial value as printed: a number, or the hyperparameter it reads."""
    return f"{float(init):g}" if init.is_Number else sp.sstr(init)


@dataclass(frozen=True, eq=False)
class Source:
    """Where a variant comes from and the defaults that source uses.

    ``hard_coded`` names hyperparameters the source fixes in its code rather than
    exposing as arguments (the book's epsilon of 1e-7).
    """

    name: str
    cite: str
    defaults: Mapping[str, float]
    hard_coded: tuple[str, ...] = ()

    def describe_defaults(self) -> str:
        parts = []
        for k, v in self.defaults.items():
            parts.append(f"{k}={v:g}" + (" (hard-coded)" if k in self.hard_coded else ""))
        return ", ".join(parts)


@dataclass(frozen=True)
class Constraint:
    """A relation between hyperparameters that must hold, with the reason given when not.

    ``condition`` is a SymPy boolean of the hyperparameter symbols (flags are
    booleans, the others numbers), e.g. torch's SGD:
    ``Implies(nesterov, (momentum > 0) & Eq(dampening, 0))``.
    """

    condition: sp.Basic
    reason: str


@dataclass(frozen=True, eq=False)
class Rule:
    """One variant of one optimizer family, as ordered elementwise assignments.

    ``assignments`` may assign temporaries (symbols that are neither ``W`` nor a
    state); they live for one step only.  ``difference`` says, for a variant that
    is not the family's canonical one, exactly how it differs; it is the warning
    a checker shows when an implementation matches it.

    ``api`` says which implementations the rule describes: None, any (the
    book's API or any other); ``"torch"``, only ``torch.optim`` optimizers, whose
    hyperparameters are torch's keywords and whose flags (`flags`) switch
    branches of the equations (``Piecewise`` on the flag symbols).
    ``constraints`` are the relations between hyperparameters the source
    enforces (`admits`).
    """

    family: str
    variant: str
    title: str
    hypers: tuple[Hyper, ...]
    states: tuple[State, ...]
    assignments: tuple[tuple[sp.Symbol, sp.Expr], ...]
    sources: tuple[Source, ...]
    summary: str
    difference: str | None = None
    temporaries_latex: Mapping[str, str] = field(default_factory=dict)
    api: str | None = None
    constraints: tuple[Constraint, ...] = ()

    # -- identity -------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self.family}/{self.variant}"

    def __repr__(self) -> str:
        return f"<Rule {self.name}>"

    # -- hyperparameters ------------------------------------------------------
    @property
    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hypers}

    @property
    def flags(self) -> tuple[Hyper, ...]:
        """The boolean switches among the hyperparameters (torch's ``nesterov``, ...)."""
        return tuple(h for h in self.hypers if h.flag)

    def hyper(self, name: str) -> Hyper:
        for h in self.hypers:
            if h.name == name:
                return h
        raise InvalidHyperparameter(
            f"{self.name}: unknown hyperparameter {name!r}; "
            f"this rule takes {', '.join(h.name for h in self.hypers)}"
        )

    def resolve(self, values: Mapping[str, float] | None = None) -> dict[str, float]:
        """Fill in defaults, check every value against its domain, return floats.

        Raises `InvalidHyperparameter` naming the argument, the value, the rule
        and what to pass instead.
        """
        values = dict(values or {})
        out = {}
        for h in self.hypers:
            raw = values.pop(h.name, h.default)
            try:
                value = float(raw)
            except (TypeError, ValueError):
                what = "True or False (or 1 or 0)" if h.flag else f"a float in {h.domain}"
                raise InvalidHyperparameter(
                    f"{self.name}: {h.name} = {raw!r} is not a number; "
                    f"pass {what}, e.g. {h.default:g} (the default)"
                ) from None
            if value not in h.domain:
                raise InvalidHyperparameter(
                    f"{self.name}: {h.name} = {raw!r} is outside {h.domain}; "
                    f"pass {h.doc} in {h.domain}, e.g. {h.default:g} (the default)"
                )
            out[h.name] = value
        if values:
            unknown = ", ".join(sorted(values))
            raise InvalidHyperparameter(
                f"{self.name}: unknown hyperparameter(s) {unknown}; "
                f"this rule takes {', '.join(h.name for h in self.hypers) or 'none'}"
            )
        return out

    def admits(self, values: Mapping[str, float] | None = None) -> str | None:
        """None when the source accepts these hyperparameters, else one line saying why not.

        Missing values take their defaults; a value outside its domain is not
        admitted either (the reason is `resolve`'s message).  The relations
        checked are `constraints`, evaluated exactly on the values given
        (torch's SGD rejects ``nesterov=True`` unless ``momentum > 0`` and
        ``dampening == 0``).
        """
        try:
            resolved = self.resolve(values)
        except InvalidHyperparameter as e:
            return str(e)
        at = self.substitution(resolved)
        for c in self.constraints:
            if c.condition.xreplace(at) is not sp.true:
                return f"{self.name}: {c.reason}"
        return None

    def substitution(self, values: Mapping[str, float]) -> dict:
        """Each hyperparameter symbol mapped to its exact value: a flag to a SymPy
        boolean, a number to the rational equal to the float (the double nearest
        0.9, not 9/10)."""
        out = {}
        for h in self.hypers:
            if h.name in values:
                v = values[h.name]
                out[h.symbol] = (sp.true if v else sp.false) if h.flag else sp.Rational(float(v))
        return out

    # -- derived forms --------------------------------------------------------
    @property
    def state_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(s.symbol for s in self.states)

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        """Argument order of the compiled step: W, g, t, states..., hypers..."""
        return (W, G, T, *self.state_symbols, *(h.symbol for h in self.hypers))

    @property
    def outputs(self) -> tuple[sp.Symbol, ...]:
        """What a step produces: the new W, then the new states."""
        return (W, *self.state_symbols)

    @cached_property
    def composed(self) -> dict[sp.Symbol, sp.Expr]:
        """Each output as one expression of the step's inputs (temporaries inlined)."""
        env: dict[sp.Symbol, sp.Expr] = {}
        for target, expr in self.assignments:
            env[target] = expr.xreplace(env)
        return {s: env.get(s, s) for s in self.outputs}

    def update(self) -> sp.Expr:
        """The step ``W_new - W`` as an expression of the step's inputs.

        W is subtracted where it is a summand, inside the branch of a
        ``Piecewise`` that holds it (decoupled weight decay), so that it cancels
        symbolically and the step is computed without a difference of nearly
        equal numbers.
        """
        return _minus_w(self.composed[W])

    # -- printing -------------------------------------------------------------
    def _latex_names(self) -> dict[sp.Symbol, str]:
        names = {W: "W", G: "g", T: "t"}
        names.update({h.symbol: h.latex for h in self.hypers})
        names.update({s.symbol: s.latex for s in self.states})
        for target, _ in self.assignments:
            if target.name in self.temporaries_latex:
                names[target] = self.temporaries_latex[target.name]
        return names

    def equations_text(self) -> list[str]:
        return [f"{target} <- {sp.sstr(expr)}" for target, expr in self.assignments]

    def equations_latex(self) -> list[str]:
        names = self._latex_names()
        return [
            f"{names.get(target, sp.latex(target))} \\leftarrow "
            f"{sp.latex(expr, symbol_names=names)}"
            for target, expr in self.assignments
        ]


def minus(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """``expr - x``, with x cancelled inside the ``Piecewise`` branches that hold it
    as a summand (``W_new - W`` under decoupled weight decay; an error bound less the
    error of W it carries)."""
    if isinstance(expr, sp.Piecewise):
        return sp.Piecewise(*((minus(e, x), c) for e, c in expr.args))
    if expr.is_Add:
        def holds(a):  # x, c x, or a (multiple of a) Piecewise whose branches hold x
            rest = a.as_coeff_Mul()[1]
            return rest == x or (isinstance(rest, sp.Piecewise) and rest.has(x))
        held = [a for a in expr.args if holds(a)]
        if any(not a.as_coeff_Mul()[1].is_Symbol for a in held):
            others = [a for a in expr.args if not holds(a)]
            return sp.Add(*others) + sp.piecewise_fold(sp.Add(*held) - x)
    return expr - x


def _minus_w(expr: sp.Expr) -> sp.Expr:
    return minus(expr, W)


@dataclass(frozen=True, eq=False)
class Family:
    """An optimizer family (``adam``) and its named variants, canonical first."""

    name: str
    title: str
    doc: str
    variants: tuple[Rule, ...]
    book_class: str

    @property
    def canonical(self) -> Rule:
        return self.variants[0]

    def variant_names(self) -> list[str]:
        return [r.variant for r in self.variants]

    def rule(self, variant: str | None = None) -> Rule:
        if variant is None:
            return self.canonical
        for r in self.variants:
            if r.variant == variant:
                return r
        from .errors import UnknownRule

        raise UnknownRule(
            f"{self.name} has no variant {variant!r}; "
            f"choose one of {', '.join(self.variant_names())}"
        )
