"""The element loop in GMP/MPFR (gmpy2's ``mpfr``), generated beside the mpmath one.

`spec._codegen` compiles each rule twice from the same SymPy expressions, with
the same hoisting and the same order of operations: once to mpmath's ``libmp``
functions and, when gmpy2 is installed, once to ``mpfr`` arithmetic.  libmp
spends most of an element-step in Python, building and normalising
``(sign, man, exp, bc)`` tuples; MPFR does each operation in C.  Both round
each operation correctly, to nearest with ties to even, at the same precision,
so the two kernels give the same bits (``tests/test_codegen.py`` checks it).

Where they would differ is at the edges, and there the fast kernel declines:
it runs with MPFR's division-by-zero, invalid, overflow and underflow traps
set, and the exponent range as wide as MPFR allows, so a step that would make
any value non-finite raises instead, and the oracle redoes that key with the
mpmath kernel, whose per-element NaN (0/0 in one element, a root of a negative
in one output) is the spec's.  Inputs that are not finite never enter it.

Without gmpy2, or with mpmath's pure-Python backend (``MPMATH_NOGMPY``), there is
no fast kernel (`AVAILABLE` is False) and the oracle uses mpmath's alone.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp
from mpmath import libmp

from ._rule import T

try:
    import gmpy2
except ImportError:  # pragma: no cover - gmpy2 is a dependency, but an optional speed-up
    gmpy2 = None

__all__ = ["AVAILABLE", "TRAPPED", "context", "elements_source", "namespace", "to_raw",
           "to_mpfr", "from_floats", "exact_sum"]

#: the fast kernel can run: gmpy2 is there and mpmath uses it (so mantissas are mpz)
AVAILABLE = gmpy2 is not None and libmp.BACKEND == "gmpy"

#: what a trapped MPFR exception raises
TRAPPED = () if gmpy2 is None else (
    gmpy2.DivisionByZeroError, gmpy2.InvalidOperationError, gmpy2.OverflowResultError,
    gmpy2.UnderflowResultError, gmpy2.InexactResultError, gmpy2.RangeError)


def _context(precision: int, **traps):
    return gmpy2.context(precision=precision, round=gmpy2.RoundToNearest,
                         emax=gmpy2.get_emax_max(), emin=gmpy2.get_emin_min(),
                         subnormalize=False, trap_divzero=True, trap_invalid=True,
                         trap_overflow=True, trap_underflow=True, **traps)


@lru_cache(maxsize=None)
def context(prec: int):
    """The context the fast kernel runs in: ``prec`` bits, every exception trapped."""
    return _context(prec)


@lru_cache(maxsize=None)
def _wide(prec: int):
    """A context in which W + update is exact (or raises): wide enough for updates
    some 2**(prec + 256) times smaller than W, and trapping any inexact sum."""
    return _context(2 * prec + 256, trap_inexact=True)


@lru_cache(maxsize=None)
def _zero(prec: int):
    with context(prec):
        return gmpy2.mpfr(0)


def exact_sum(a: list, b: list, prec: int) -> list:
    """``a + b`` elementwise, exactly (raises one of `TRAPPED` where it cannot be)."""
    add = _wide(prec).add
    return [add(x, y) for x, y in zip(a, b)]


def from_floats(values: list, prec: int) -> list:
    """Python floats as mpfr, exactly (``prec`` is at least 53 bits)."""
    zero = _zero(prec)
    with context(prec):
        return [zero + x for x in values]


def to_raw(values: list) -> list:
    """libmp tuples of a list of mpfr; a list of tuples (or an empty one) comes back as is.

    Exact: ``as_mantissa_exp`` is the value, ``from_man_exp`` only normalises it.
    A fast kernel makes no value that is not finite, so none is converted here.
    """
    if not values or type(values[0]) is tuple:
        return values
    make = libmp.from_man_exp
    return [make(m, int(e)) for m, e in map(gmpy2.mpfr.as_mantissa_exp, values)]


def to_mpfr(raw: tuple, prec: int):
    """The exact value of a libmp tuple as an mpfr; None when it is not finite."""
    sign, man, exp, bc = raw
    if not man:
        return _zero(prec) if raw == libmp.fzero else None
    ctx = context(prec) if bc <= prec else _context(bc)
    return ctx.mul_2exp(-man if sign else man, exp)  # man has bc bits: exact


def namespace() -> dict:
    """The names the generated fast kernels call."""
    return {"mpfr": gmpy2.mpfr, "_sqrt": gmpy2.sqrt, "_square": gmpy2.square}


class Printer:
    """An element-level expression (already hoisted by `spec._codegen`) as mpfr code.

    It mirrors ``_Emitter.code`` operation for operation (the same sums left to right,
    the same products, the same division), so each rounding is the same one.  What it
    has no rule for raises TypeError, and the rule then has no fast kernel.
    """

    _COMPARE = {sp.StrictGreaterThan: ">", sp.GreaterThan: ">=", sp.StrictLessThan: "<",
                sp.LessThan: "<=", sp.Equality: "=="}

    def __init__(self, flags: set):
        self.flags = flags
        self.ints: dict[int, str] = {}

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
            return f"({self._int(e.p)} / {self._int(e.q)})"
        if e.is_Add:
            terms = list(e.args)
            out = self.code(terms[0], names)
            for a in terms[1:]:
                if a.is_Mul and a.args[0] == -1:
                    out = f"({out} - {self.code(sp.Mul(*a.args[1:], evaluate=False), names)})"
                else:
                    out = f"({out} + {self.code(a, names)})"
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
                out = f"({out} / {self._product(den, names)})"
            return f"(-{out})" if sign < 0 else out
        if e.is_Pow:
            base, p = e.args
            b = self.code(base, names)
            if p == 2:
                return f"({b} * {b})" if base.is_Symbol else f"_square({b})"
            if p == sp.Rational(1, 2):
                return f"_sqrt({b})"
            if p.is_Integer and p > 0:
                return f"({b} ** {int(p)})"
            if p == -1:
                return f"({self._int(1)} / {b})"
            if p.is_Number and p < 0:
                return f"({self._int(1)} / {self.code(sp.Pow(base, -p, evaluate=False), names)})"
            if p == T:  # t is no element-level name; the mpmath kernel has none either
                raise TypeError(f"an element-level power of t: {e}")
            return f"({b} ** {self.code(p, names)})"
        if isinstance(e, sp.Abs):
            return f"abs({self.code(e.args[0], names)})"
        if isinstance(e, sp.Max):
            # max(a, b) is a unless b > a, as libmp's a if a >= b else b (NaN never gets here)
            out = self.code(e.args[0], names)
            for a in e.args[1:]:
                out = f"max({out}, {self.code(a, names)})"
            return out
        if isinstance(e, sp.Piecewise):
            *pieces, (last, cond) = e.args
            if cond != sp.true:
                raise TypeError(f"a Piecewise must end with an otherwise branch: {e}")
            out = self.code(last, names)
            for value, c in reversed(pieces):
                out = f"({self.code(value, names)} if {self.condition(c, names)} else {out})"
            return out
        if type(e) in self._COMPARE or isinstance(e, (sp.And, sp.Or, sp.Not, sp.Unequality)):
            return self.condition(e, names)
        raise TypeError(f"the mpfr printer has no rule for {e.func.__name__}: {e}")

    def condition(self, c, names) -> str:
        if c == sp.true or c == sp.false:
            return str(bool(c))
        if c in self.flags:  # hoisted by the emitter; never an element-level name
            raise TypeError(f"a flag read per element: {c}")
        if c.is_Symbol:  # a hoisted condition: a Python bool among the constants
            return names[c]
        if isinstance(c, sp.Not):
            return f"(not {self.condition(c.args[0], names)})"
        if isinstance(c, (sp.And, sp.Or)):
            op = " and " if isinstance(c, sp.And) else " or "
            return "(" + op.join(self.condition(a, names) for a in c.args) + ")"
        if isinstance(c, sp.Unequality):
            return f"({self.code(c.lhs, names)} != {self.code(c.rhs, names)})"
        op = self._COMPARE.get(type(c))
        if op is None:
            raise TypeError(f"the mpfr printer has no rule for the condition {c}")
        return f"({self.code(c.lhs, names)} {op} {self.code(c.rhs, names)})"

    def _product(self, factors, names) -> str:
        out = self.code(factors[0], names)
        for f in factors[1:]:
            out = f"({out} * {self.code(f, names)})"
        return out


def elements_source(printer: Printer, body: list, results: list, names: dict, row,
                    n_states: int, consts: list) -> str:
    """``factory(ctx) -> elements(W, G, *S, consts)``: lists of mpfr in, lists of mpfr out
    (the update, then each new state), every operation in ``ctx``; raises one of
    `TRAPPED` where any value would not be finite."""
    body_codes = [(s, printer.code(e, names)) for s, e in body]
    res_codes = [printer.code(r, names) for r in results]
    body_names = {names[s] for s, _ in body}
    const_args = ", ".join(consts)
    state_args = "".join(f", S{i}" for i in range(n_states))
    ints = [f"        {name} = mpfr({n})" for n, name in sorted(printer.ints.items())]
    src = [
        "def factory(ctx):",
        "    with ctx:",
        *(ints or ["        pass"]),
        f"    def elements(W, G{state_args}, consts):",
        f"        {const_args + ',' if consts else '_'} = {'consts' if consts else 'None'}",
        "        with ctx:",
        *[f"            {names[s]}_all = [{code} for {row(i, code)}]"
          for i, (s, code) in enumerate(body_codes)],
        *[f"            r{j} = {code}_all" if code in body_names else
          f"            r{j} = [{code} for {row(len(body), code)}]"
          for j, code in enumerate(res_codes)],
        "        return [" + ", ".join(f"r{j}" for j in range(len(res_codes))) + "]",
        "    return elements",
    ]
    return "\n".join(src)


def _pow(a, b):
    """``a ** b`` as mpmath computes it at its working precision.

    mpmath rounds ``x**n`` correctly for n in -1..2 (as MPFR does); ``x**-2`` is
    ``1 / x**2`` with the square rounded to 5 more bits, ``x**-0.5`` is ``1 / sqrt(x)``
    with the root rounded to 10 more bits (``libmp.mpf_pow_int``, ``mpf_pow``), both done
    here the same way, each step correctly rounded.  Any other power is mpmath's own
    algorithm, run by mpmath on the exact values (and remembered: most are a
    hyperparameter to the power t, the same for every element of a step)."""
    if type(b) is int:
        if type(a) is int or -1 <= b <= 2:
            return a ** b
        if b == -2:
            with context(gmpy2.get_context().precision + 5):
                square = a * a
            return 1 / square
    elif b == _MINUS_HALF:
        with context(gmpy2.get_context().precision + 10):
            root = gmpy2.sqrt(a)
        return 1 / root
    mp = _mpmath()
    key = (a, b, mp.mp.prec)
    hit = _POWERS.get(key)
    if hit is not None:
        return hit
    x = a if type(a) is int else to_mpmath(a)
    y = b if type(b) is int else to_mpmath(b)
    r = x ** y
    if type(r) is not mp.mpf:  # a complex power: let mpmath do the whole element
        raise gmpy2.InvalidOperationError("a power that is not real")
    if len(_POWERS) > 4096:
        _POWERS.clear()
    _POWERS[key] = r = from_mpmath(r)
    return r


_POWERS: dict = {}
_MINUS_HALF = gmpy2.mpfr(-0.5) if gmpy2 is not None else None


def _log(x):
    """mpmath's log (not always correctly rounded), on the exact value."""
    return from_mpmath(_mpmath().log(x if type(x) is int else to_mpmath(x)))


def _dpow(d, p, e, s):
    """`spec.bound._dpow_numeric` in mpfr; where that gives infinity (d = 0 and no
    root's bound), this raises, and the caller evaluates the element with mpmath."""
    if e == 0:
        return gmpy2.mpfr(0)
    d = abs(d)
    if 0 < p < 1 and s * e > d:
        root = _pow(s, p - 1) * _pow(e, p)
        return root if d == 0 else min(root, abs(p) * _pow(d, p - 1) * e)
    if d == 0:
        raise gmpy2.DivisionByZeroError("_dpow at d = 0")
    return abs(p) * _pow(d, p - 1) * e


def _mpmath():
    import mpmath
    return mpmath


#: what the error bounds' mpmath code (``sympy.lambdify``) calls, as mpfr functions that
#: round as mpmath's do at its working precision (``_pow`` stands for ``**``)
BOUND_NAMES = {"mpf": None, "sqrt": None, "log": _log, "_dpow": _dpow, "_pow": _pow,
               "_nz": lambda x: 0 if x == 0 else 1,
               "conjugate": lambda x: x, "abs": abs, "max": max, "min": min}


class _Powers(__import__("ast").NodeTransformer):
    def visit_BinOp(self, node):
        import ast
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.copy_location(ast.Call(ast.Name("_pow", ast.Load()),
                                              [node.left, node.right], []), node)
        return node


def bound_function(fn):
    """``fn``, a bound compiled by `spec.bound.compiled`, re-executed on mpfr (each ``**``
    a call of `_pow`); or None when its code calls anything `BOUND_NAMES` lacks.

    Run it in a context of mpmath's working precision, mpmath's own set to the same (the
    powers and logarithms are mpmath's): each value is then the one mpmath makes.
    """
    import ast
    import inspect

    if not AVAILABLE or not set(fn.__code__.co_names) <= set(BOUND_NAMES):
        return None
    try:
        source = inspect.getsource(fn)  # lambdify keeps its source in linecache
    except (OSError, TypeError):
        return None
    tree = ast.fix_missing_locations(_Powers().visit(ast.parse(source)))
    names = dict(BOUND_NAMES, mpf=gmpy2.mpfr, sqrt=gmpy2.sqrt)
    exec(compile(tree, f"<{fn.__name__} mpfr>", "exec"), names)
    return names.get(fn.__name__)


@lru_cache(maxsize=None)
def plain(prec: int):
    """A context of ``prec`` bits that traps nothing (inf - inf is NaN, as in mpmath)."""
    return gmpy2.context(precision=prec, round=gmpy2.RoundToNearest,
                         emax=gmpy2.get_emax_max(), emin=gmpy2.get_emin_min(),
                         subnormalize=False)


def from_mpmath(x):
    """An mpmath mpf (or an int) as an mpfr, exactly, infinities and NaN included."""
    if isinstance(x, int):
        return gmpy2.mpfr(x, max(64, x.bit_length()))
    raw = x._mpf_
    if raw == libmp.finf:
        return gmpy2.inf()
    if raw == libmp.fninf:
        return gmpy2.inf(-1)
    if raw == libmp.fnan:
        return gmpy2.nan()
    return to_mpfr(raw, 64)


def from_tuple(raw: tuple, prec: int):
    """A libmp tuple as an mpfr, exactly, infinities and NaN included."""
    x = to_mpfr(raw, prec)
    return x if x is not None else from_mpmath(__import__("mpmath").mp.make_mpf(raw))


def from_float(x: float):
    """A float (or an int) as an mpfr, exactly, infinities and NaN included."""
    return gmpy2.mpfr(x, 64) if isinstance(x, float) else from_mpmath(int(x))


def to_mpmath(x):
    """An mpfr as an mpmath mpf, exactly, infinities and NaN included."""
    make = __import__("mpmath").mp.make_mpf
    if gmpy2.is_finite(x):
        m, e = x.as_mantissa_exp()
        return make(libmp.from_man_exp(m, int(e)))
    if gmpy2.is_nan(x):
        return make(libmp.fnan)
    return make(libmp.finf if x > 0 else libmp.fninf)
