"""Compile a rule's step into Python that calls mpmath's correctly rounded kernels.

``lambdify(modules="mpmath")`` evaluates a step for one element in about 12 us,
most of it spent building ``mpf`` objects and recomputing, for every element,
quantities that depend only on the step (``1 - beta1**t``).  This compiler
does what lambdify does, from the same SymPy expressions, with two changes:

- every maximal subexpression of ``t`` and the hyperparameters alone is hoisted
  out of the element loop and computed once per step;
- the element loop calls ``mpmath.libmp`` (``mpf_add``, ``mpf_mul``, ...) on
  raw mpf tuples, each operation rounded to nearest at the working precision.

The result is the same mathematics at the same precision, several times
faster; the precision tests (50 against 100 digits) cover it.

When gmpy2 is installed, the same hoisted expressions are also printed as
``mpfr`` arithmetic (`spec._mpfr`), about three times faster again, with the
same operations in the same order; the oracle runs that kernel where every value
stays finite and this one elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import sympy as sp
from mpmath import libmp
from mpmath.libmp import ComplexResult

from . import _mpfr
from ._rule import G, T, W, Rule

__all__ = ["Compiled", "compile_rule"]

_ERRORS = (ZeroDivisionError, ComplexResult, ValueError)


@dataclass(frozen=True)
class Compiled:
    """``constants(t, *hypers) -> list``; ``elements(W, g, *states, constants) -> lists``.

    ``elements`` takes and returns lists of raw mpf tuples (one list per
    output: the update, then each new state); ``prec`` and the rounding are
    bound by `bind`.
    """

    source: str
    n_constants: int
    factory: Callable
    reads_w: bool  # whether the update depends on W (weight decay would)
    fast_source: str | None = None  # the same loop in gmpy2 mpfr (`spec._mpfr`), if any
    fast_factory: Callable | None = None

    def bind(self, prec: int):
        return self.factory(prec)

    def bind_fast(self, prec: int):
        """``elements`` over lists of mpfr in a ``prec``-bit context, or None without one."""
        return None if self.fast_factory is None else self.fast_factory(_mpfr.context(prec))


class _Emitter:
    def __init__(self, step_symbols: set, flags: set = frozenset()):
        self.step_symbols = step_symbols
        self.flags = set(flags)  # hyperparameters given as 0 or 1 and read as booleans
        self.hoisted: list[tuple[sp.Symbol, sp.Expr]] = []
        self._hoist_names: dict[sp.Expr, sp.Symbol] = {}
        self.ints: dict[int, str] = {}

    # -- hoisting -------------------------------------------------------------
    def is_step(self, e: sp.Expr) -> bool:
        return e.free_symbols <= self.step_symbols

    def _constant(self, e: sp.Expr) -> sp.Expr:
        if e.is_Integer and abs(int(e)) < 2**31:
            return e
        if e not in self._hoist_names:
            name = sp.Symbol(f"k{len(self.hoisted)}")
            self._hoist_names[e] = name
            self.hoisted.append((name, e))
        return self._hoist_names[e]

    def hoist(self, e: sp.Expr) -> sp.Expr:
        """``e`` with each maximal step-level subexpression replaced by a constant."""
        if self.is_step(e):
            return self._constant(e)
        if e.is_Add or e.is_Mul:
            step = [a for a in e.args if self.is_step(a)]
            rest = [self.hoist(a) for a in e.args if not self.is_step(a)]
            if len(step) > 0:
                rest.insert(0, self._constant(e.func(*step)))
            return e.func(*rest, evaluate=False)
        if e.is_Pow:
            return sp.Pow(self.hoist(e.args[0]), e.args[1], evaluate=False)
        if isinstance(e, sp.Abs):
            return sp.Abs(self.hoist(e.args[0]), evaluate=False)
        if isinstance(e, sp.Max):
            return sp.Max(*(self.hoist(a) for a in e.args), evaluate=False)
        if isinstance(e, sp.Piecewise):
            return sp.Piecewise(*((self.hoist(v), self._hoist_condition(c)) for v, c in e.args),
                                evaluate=False)
        return e

    def _hoist_condition(self, c):
        if c in (sp.true, sp.false):
            return c
        if c in self.flags:  # its raw value is no bool: decided once per step, as one
            return self._constant(sp.Ne(c, 0))
        if self.is_step(c):  # decided once per step: a boolean among the constants
            return self._constant(c)
        if isinstance(c, (sp.And, sp.Or, sp.Not)):
            return c.func(*(self._hoist_condition(a) for a in c.args), evaluate=False)
        return c.func(self.hoist(c.lhs), self.hoist(c.rhs), evaluate=False)

    # -- code -------------------------------------------------------------------
    def _int(self, n: int) -> str:
        name = f"_i{n}" if n >= 0 else f"_im{-n}"
        self.ints[n] = name
        return name

    def code(self, e: sp.Expr, names: dict) -> str:
        if e.is_Symbol:
            return names[e]
        if e.is_Integer:
            return self._int(int(e))
        if e.is_Rational:
            return f"mpf_div({self._int(e.p)}, {self._int(e.q)}, P, R)"
        if e.is_Add:
            terms = list(e.args)
            out = self.code(terms[0], names)
            for a in terms[1:]:
                if a.is_Mul and a.args[0] == -1:
                    out = f"mpf_sub({out}, {self.code(sp.Mul(*a.args[1:], evaluate=False), names)}, P, R)"
                else:
                    out = f"mpf_add({out}, {self.code(a, names)}, P, R)"
            return out
        if e.is_Mul:
            sign = 1
            num, den = [], []
            for a in e.args:
                if a == -1:
                    sign = -sign
                elif a.is_Pow and a.args[1].is_Number and a.args[1] < 0:
                    den.append(sp.Pow(a.args[0], -a.args[1], evaluate=False)
                               if a.args[1] != -1 else a.args[0])
                else:
                    num.append(a)
            out = self._product(num, names) if num else self._int(1)
            if den:
                out = f"mpf_div({out}, {self._product(den, names)}, P, R)"
            return f"mpf_neg({out})" if sign < 0 else out
        if e.is_Pow:
            base, p = e.args
            b = self.code(base, names)
            if p == 2:
                return f"mpf_mul({b}, {b}, P, R)"
            if p == sp.Rational(1, 2):
                return f"mpf_sqrt({b}, P, R)"
            if p.is_Integer and p > 0:
                return f"mpf_pow_int({b}, {int(p)}, P, R)"
            if p == -1:
                return f"mpf_div({self._int(1)}, {b}, P, R)"
            if p.is_Number and p < 0:
                return f"mpf_div({self._int(1)}, {self.code(sp.Pow(base, -p, evaluate=False), names)}, P, R)"
            if p == T:
                return f"mpf_pow_int({b}, t, P, R)"
            # a real power such as 0.96 ** (t * psi) (NAdam's momentum schedule)
            return f"mpf_pow({b}, {self.code(p, names)}, P, R)"
        if isinstance(e, sp.Abs):
            return f"mpf_abs({self.code(e.args[0], names)})"
        if isinstance(e, sp.Max):
            out = self.code(e.args[0], names)
            for a in e.args[1:]:
                out = f"_max({out}, {self.code(a, names)})"
            return out
        if isinstance(e, sp.Piecewise):
            # only the branch taken is evaluated: the other may be 0/0 (RAdam's rectifier)
            *pieces, (last, cond) = e.args
            if cond != sp.true:
                raise TypeError(f"a Piecewise must end with an otherwise branch: {e}")
            out = self.code(last, names)
            for value, c in reversed(pieces):
                out = f"({self.code(value, names)} if {self._condition(c, names)} else {out})"
            return out
        if type(e) in self._COMPARE or isinstance(e, self._BOOLEAN):
            return self._condition(e, names)  # a hoisted condition, computed once per step
        raise TypeError(f"the oracle compiler has no rule for {e.func.__name__}: {e}")

    _COMPARE = {sp.StrictGreaterThan: "mpf_gt", sp.GreaterThan: "mpf_ge",
                sp.StrictLessThan: "mpf_lt", sp.LessThan: "mpf_le", sp.Equality: "mpf_eq"}

    _BOOLEAN = (sp.And, sp.Or, sp.Not, sp.Unequality)

    def _condition(self, c, names) -> str:
        if c == sp.true or c == sp.false:
            return str(bool(c))
        if c in self.flags:  # a flag's value, 0 or 1
            return f"(not mpf_eq({names[c]}, {self._int(0)}))"
        if c.is_Symbol:  # hoisted: a Python bool computed in constants()
            return names[c]
        if isinstance(c, sp.Not):
            return f"(not {self._condition(c.args[0], names)})"
        if isinstance(c, (sp.And, sp.Or)):
            op = " and " if isinstance(c, sp.And) else " or "
            return "(" + op.join(self._condition(a, names) for a in c.args) + ")"
        if isinstance(c, sp.Unequality):
            return f"(not mpf_eq({self.code(c.lhs, names)}, {self.code(c.rhs, names)}))"
        fn = self._COMPARE.get(type(c))
        if fn is None:
            raise TypeError(f"the oracle compiler has no rule for the condition {c}")
        return f"{fn}({self.code(c.lhs, names)}, {self.code(c.rhs, names)})"

    def _product(self, factors, names) -> str:
        out = self.code(factors[0], names)
        for f in factors[1:]:
            out = f"mpf_mul({out}, {self.code(f, names)}, P, R)"
        return out


def compile_rule(rule: Rule) -> Compiled:
    hypers = [h.symbol for h in rule.hypers]
    states = list(rule.state_symbols)
    emitter = _Emitter(set(hypers) | {T}, {h.symbol for h in rule.hypers if h.flag})
    outputs = [rule.update()] + [rule.composed[s] for s in states]
    replacements, reduced = sp.cse(outputs, symbols=sp.numbered_symbols("x"))

    # element-level names
    names = {W: "w_", G: "g_", T: "t"}
    names.update({s: f"s{i}_" for i, s in enumerate(states)})
    body = []
    for sym, expr in replacements:
        if emitter.is_step(expr):
            emitter.step_symbols.add(sym)
            emitter.hoisted.append((sym, expr))
            continue
        names[sym] = sym.name
        body.append((sym, emitter.hoist(expr)))
    results = [emitter.hoist(e) for e in reduced]

    # step-level constants, in dependency order
    const_names = {T: "T_"}
    const_names.update({h: f"h{i}" for i, h in enumerate(hypers)})
    const_lines = []
    const_lines.append("        T_ = from_int(t)")
    for sym, expr in emitter.hoisted:
        const_names[sym] = sym.name
        const_lines.append(f"        {sym.name} = {emitter.code(expr, const_names)}")
    for sym, _ in emitter.hoisted:
        names[sym] = sym.name
    consts = [sym.name for sym, _ in emitter.hoisted]

    # each comprehension walks the inputs and every element-level list before it
    in_vars = ["w_", "g_"] + [f"s{i}_" for i in range(len(states))]
    in_lists = ["W", "G"] + [f"S{i}" for i in range(len(states))]

    body_names = {names[s] for s, _ in body}

    def row(n_body: int, code: str) -> str:
        """``for`` clause over just the lists that ``code`` reads."""
        vs = in_vars + [names[s] for s, _ in body[:n_body]]
        ls = in_lists + [f"{names[s]}_all" for s, _ in body[:n_body]]
        used = [(v, l) for v, l in zip(vs, ls) if re.search(rf"\b{v}\b", code)]
        if not used:  # a constant: one per element all the same
            return "_ in W"
        if len(used) == 1:
            return f"{used[0][0]} in {used[0][1]}"
        return f"{', '.join(v for v, _ in used)} in zip({', '.join(l for _, l in used)})"

    res_codes = [emitter.code(r, names) for r in results]
    body_codes = [(s, emitter.code(e, names)) for s, e in body]
    n_out = len(outputs)
    state_args = "".join(f", S{i}" for i in range(len(states)))
    state_items = "".join(f", s{i}_" for i in range(len(states)))
    const_args = ", ".join(consts)
    int_lines = [f"    {name} = from_int({n})" for n, name in sorted(emitter.ints.items())]

    src = [
        "def factory(prec):",
        "    P, R = prec, round_nearest",
        *int_lines,
        f"    def constants(t{''.join(f', h{i}' for i in range(len(hypers)))}):",
        *const_lines,
        f"        return [{', '.join(consts)}]",
        f"    def safe(w_, g_{state_items}{', ' if consts else ''}{const_args}):",
        "        # 0/0 (eps = 0 and g = 0) or a root of a negative: NaN for that output only",
    ]
    for j in range(n_out):
        src += [
            "        try:",
            "            " + "; ".join(f"{names[s]} = {emitter.code(e, names)}" for s, e in body)
            if body else "            pass",
            f"            o{j} = {res_codes[j]}",
            "        except _ERRORS:",
            f"            o{j} = fnan",
        ]
    src += [
        f"        return ({', '.join(f'o{j}' for j in range(n_out))},)",
        f"    def elements(W, G{state_args}, consts):",
        "        # returns the update, then each new state",
        f"        {const_args + ',' if consts else '_'} = {'consts' if consts else 'None'}",
        "        try:",
        *[f"            {names[s]}_all = [{code} for {row(i, code)}]"
          for i, (s, code) in enumerate(body_codes)],
        *[f"            r{j} = {code}_all" if code in body_names else
          f"            r{j} = [{code} for {row(len(body), code)}]" for j, code in enumerate(res_codes)],
        "        except _ERRORS:",
        "            # one element is 0/0: redo this key element by element",
        f"            rows = [safe(w_, g_{state_items}{', ' if consts else ''}{const_args})"
        f" for w_, g_{state_items} in zip(W, G{state_args})]",
        f"            {', '.join(f'r{j}' for j in range(n_out))}, = "
        f"[[row[j] for row in rows] for j in range({n_out})]",
        "        return [" + ", ".join(f"r{j}" for j in range(n_out)) + "]",
        "    return constants, elements",
    ]
    source = "\n".join(src)
    namespace = {name: getattr(libmp, name) for name in
                 ("mpf_add", "mpf_sub", "mpf_mul", "mpf_div", "mpf_neg", "mpf_sqrt", "mpf_abs",
                  "mpf_pow_int", "mpf_pow", "mpf_gt", "mpf_ge", "mpf_lt", "mpf_le", "mpf_eq",
                  "from_int", "round_nearest", "fnan")}
    # NaN compares false, so a NaN operand makes the max NaN, as numpy.maximum does
    namespace["_max"] = lambda a, b: a if (a == libmp.fnan or libmp.mpf_ge(a, b)) else b
    namespace["_ERRORS"] = _ERRORS
    exec(compile(source, f"<oracle {rule.name}>", "exec"), namespace)
    reads_w = any(re.search(r"\bw_\b", code) for code in [*res_codes, *(c for _, c in body_codes)])
    fast_source, fast_factory = _fast(rule, emitter.flags, body, results, names, row,
                                      len(states), consts)
    return Compiled(source, len(consts), namespace["factory"], reads_w, fast_source,
                    fast_factory)


def _fast(rule, flags, body, results, names, row, n_states, consts):
    """The mpfr kernel of the same hoisted expressions (None, None without gmpy2, or
    where the mpfr printer has no rule for an expression: then mpmath's kernel runs)."""
    if not _mpfr.AVAILABLE:
        return None, None
    try:
        source = _mpfr.elements_source(_mpfr.Printer(flags), body, results, names, row,
                                       n_states, consts)
    except TypeError:
        return None, None
    namespace = _mpfr.namespace()
    exec(compile(source, f"<oracle {rule.name} mpfr>", "exec"), namespace)
    return source, namespace["factory"]
