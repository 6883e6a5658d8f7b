"""Child side of the symbolic trace: run the target's own update on recording values.

Loaded by path inside the worker (``python -I`` cannot import the package), so it
imports nothing from it.  Parameters, gradients and (when they can be) the
hyperparameters become `Node` values, held in `Traced` arrays (an object ndarray
subclass): every operation the target applies to them (arithmetic, powers, the
NumPy ufuncs an optimizer uses, in-place operators, ``out=``, ``np.where``,
``zeros_like``, ``copy``, reductions) appends one entry to a flat list of
operations.  That list, not text, is what goes back to the parent, which rebuilds
it in SymPy from a fixed table of operations (`checker._trace`).

What cannot be traced stops the trace with `Stop`, naming the operation; the
parent reports where it stopped (file, line) and keeps the numeric verdict:
``float()`` or ``int()`` of a traced value, a branch (``if``, ``max``, ``<``
turned into a bool) on a value that depends on the parameters or gradients, a
ufunc or NumPy function outside the table (``np.linalg.norm``, ``np.round``), a
cast with ``astype``.  A branch on hyperparameters alone (``if lr <= 0: raise``)
is taken as it would be at the value the check uses and recorded as an
assumption, which the parent keeps true when it evaluates the trace.

The worker runs a trace in a worker of its own: `install` replaces NumPy's array
constructors and ``math``'s functions module-wide (and the names the target's
module imported from them) for the rest of that process's life.
"""

from __future__ import annotations

import math
import os
import sys

import numpy as np

MAX_NODES = 200_000
# NumPy's own constructors, bound before `install` replaces them module-wide
_np_empty, _np_asarray, _np_array = np.empty, np.asarray, np.array
_HERE = os.path.abspath(__file__)
_NUMPY = os.path.dirname(np.__file__) + os.sep
_STDLIB = os.path.dirname(os.__file__) + os.sep


class Stop(Exception):
    """The trace cannot go on: ``what`` names the operation that stopped it."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Recorder:
    """The operations recorded so far, and where in the target's code each was made."""

    def __init__(self) -> None:
        self.ops: list[list] = []  # [op, args, site]; an arg is a node id or ["c", hex]
        self.nominal: list[float] = []  # each node's value at the check's values
        self.free: list[bool] = []  # depends on parameters or gradients (not only hypers)
        self.assumptions: list[list] = []  # [node id, bool]: a branch on hyperparameters
        self.files: list[str] = []
        self.step = 0
        self.active = False
        self._visit: tuple | None = None  # (frame id, line, lasti) of the line being run
        self._count = 0
        self.current: list | None = None  # the site of the array operation being recorded

    def site(self) -> list:
        """[file index, line, op index within this execution of the line, step]: one index
        per array operation (every element it makes shares it) or scalar operation, counted
        whether or not it makes a node, so the same code has the same index at every step."""
        if self.current is not None:
            return self.current
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename
            if not (name == _HERE or name.startswith(_NUMPY) or name.startswith("<frozen")
                    or (name.startswith(_STDLIB) and "-packages" not in name)
                    or name.endswith(os.sep + "_apis.py")):
                break
            frame = frame.f_back
        if frame is None:
            return [-1, 0, 0, self.step]
        name = frame.f_code.co_filename
        if name not in self.files:
            self.files.append(name)
        key = (id(frame), frame.f_lineno)
        if self._visit is None or self._visit[:2] != key or frame.f_lasti < self._visit[2]:
            self._count = 0
        else:
            self._count += 1
        self._visit = (*key, frame.f_lasti)
        return [self.files.index(name), frame.f_lineno, self._count, self.step]

    def add(self, op: str, args: list, nominal: float, free: bool) -> "Node":
        if len(self.ops) >= MAX_NODES:
            raise Stop(f"more than {MAX_NODES} operations")
        self.ops.append([op, [a.i if isinstance(a, Node) else _const(a) for a in args],
                         self.site()])
        self.nominal.append(nominal)
        self.free.append(free)
        return Node(len(self.ops) - 1)


REC = Recorder()


def _const(value) -> list:
    if isinstance(value, (bool, np.bool_)):
        return ["k", int(value)]
    if isinstance(value, (int, np.integer)):
        if abs(int(value)) > 2**53:
            raise Stop(f"an integer constant too large to trace ({int(value)})")
        return ["k", int(value)]
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if not math.isfinite(v):
            raise Stop(f"a non-finite constant ({v})")
        return ["c", v.hex()]
    raise Stop(f"a {type(value).__name__} where a number was expected")


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating, bool, np.bool_))


def _nominal(x) -> float:
    return REC.nominal[x.i] if isinstance(x, Node) else float(x)


def _free(x) -> bool:
    return isinstance(x, Node) and REC.free[x.i]


def _safe(fn, *values) -> float:
    try:
        out = fn(*values)
        return float(out)
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return math.nan


_FUNCS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "pow": lambda a, b: a ** b, "neg": lambda a: -a,
    "abs": abs, "sqrt": math.sqrt, "exp": math.exp, "log": math.log,
    "sign": lambda a: float((a > 0) - (a < 0)), "max": max, "min": min,
    "where": lambda c, a, b: a if c else b,
    "lt": lambda a, b: float(a < b), "le": lambda a, b: float(a <= b),
    "gt": lambda a, b: float(a > b), "ge": lambda a, b: float(a >= b),
    "eq": lambda a, b: float(a == b), "ne": lambda a, b: float(a != b),
}
_COMPARISONS = {"lt", "le", "gt", "ge", "eq", "ne"}


def op(name: str, *args):
    """One recorded operation on numbers and nodes; plain numbers only are computed."""
    for a in args:
        if not (isinstance(a, Node) or _is_number(a)):
            raise Stop(f"{name} of a {type(a).__name__}")
    if not any(isinstance(a, Node) for a in args):
        if REC.active and REC.current is None:
            REC.site()  # counted: at step 1 the state may be plain zeros
        return _plain(name, *args)
    if name != "where" and name not in _COMPARISONS and any(
            isinstance(a, Node) and REC.free[a.i] and REC.ops[a.i][0] in _COMPARISONS
            for a in args):
        raise Stop("a comparison of values computed from the parameters or gradients, used "
                   "as a number (t += g != 0): a branch on the values")
    nominal = _safe(_FUNCS[name], *(_nominal(a) for a in args))
    return REC.add(name, list(args), nominal, any(_free(a) for a in args))


def _plain(name: str, *args):
    # numbers only: computed as NumPy would, so constants fold exactly as in the code
    if name == "where":
        return args[1] if args[0] else args[2]
    f = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
         "pow": np.power, "neg": np.negative, "abs": np.absolute, "sqrt": np.sqrt,
         "exp": np.exp, "log": np.log, "sign": np.sign, "max": np.maximum, "min": np.minimum,
         "lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
         "eq": np.equal, "ne": np.not_equal}[name]
    if name == "pow" and all(isinstance(a, (int, np.integer)) for a in args):
        return args[0] ** args[1]
    if name in ("add", "sub", "mul", "neg", "abs") and all(type(a) is int for a in args):
        return f(*args).item()
    with np.errstate(all="ignore"):
        out = f(*[float(a) for a in args])
    return bool(out) if name in _COMPARISONS else float(out)


class Node:
    """One traced scalar: an index into `REC`; operators record, never compute."""

    __slots__ = ("i",)

    def __init__(self, i: int) -> None:
        self.i = i

    def __add__(self, o): return op("add", self, o) if _scalar(o) else NotImplemented
    def __radd__(self, o): return op("add", o, self) if _scalar(o) else NotImplemented
    def __sub__(self, o): return op("sub", self, o) if _scalar(o) else NotImplemented
    def __rsub__(self, o): return op("sub", o, self) if _scalar(o) else NotImplemented
    def __mul__(self, o): return op("mul", self, o) if _scalar(o) else NotImplemented
    def __rmul__(self, o): return op("mul", o, self) if _scalar(o) else NotImplemented
    def __truediv__(self, o): return op("div", self, o) if _scalar(o) else NotImplemented
    def __rtruediv__(self, o): return op("div", o, self) if _scalar(o) else NotImplemented
    def __pow__(self, o): return op("pow", self, o) if _scalar(o) else NotImplemented
    def __rpow__(self, o): return op("pow", o, self) if _scalar(o) else NotImplemented
    def __neg__(self): return op("neg", self)
    def __pos__(self): return self
    def __abs__(self): return op("abs", self)
    def __lt__(self, o): return op("lt", self, o) if _scalar(o) else NotImplemented
    def __le__(self, o): return op("le", self, o) if _scalar(o) else NotImplemented
    def __gt__(self, o): return op("gt", self, o) if _scalar(o) else NotImplemented
    def __ge__(self, o): return op("ge", self, o) if _scalar(o) else NotImplemented

    def __eq__(self, o):
        return op("eq", self, o) if _scalar(o) else NotImplemented

    def __ne__(self, o):
        return op("ne", self, o) if _scalar(o) else NotImplemented

    __hash__ = object.__hash__

    # the methods NumPy's object loops call: np.sqrt(array of nodes) -> node.sqrt()
    def sqrt(self): return op("sqrt", self)
    def exp(self): return op("exp", self)
    def log(self): return op("log", self)
    def conjugate(self): return self

    def __bool__(self):
        if REC.free[self.i]:
            raise Stop("a branch on a value computed from the parameters or gradients "
                       "(an if, max(), min() or a comparison used as a bool)")
        name = REC.ops[self.i][0]
        value = REC.nominal[self.i]
        taken = bool(value) if name in _COMPARISONS else (value != 0 and not math.isnan(value))
        REC.assumptions.append([self.i, taken] if name in _COMPARISONS
                               else [op("ne", self, 0).i, taken])
        return taken

    def _cast(self, to: str):
        raise Stop(f"{to}() of a traced value (the formula stops being symbolic there)")

    def __float__(self): return self._cast("float")
    def __int__(self): return self._cast("int")
    def __index__(self): return self._cast("int")
    def __complex__(self): return self._cast("complex")
    def __round__(self, n=None): return self._cast("round")
    def __trunc__(self): return self._cast("math.trunc")
    def __floor__(self): return self._cast("math.floor")
    def __ceil__(self): return self._cast("math.ceil")

    def __repr__(self) -> str:
        return f"<traced #{self.i}>"

    def __format__(self, spec: str) -> str:
        return repr(self)


def _scalar(o) -> bool:
    return isinstance(o, Node) or _is_number(o)


# -- arrays ---------------------------------------------------------------------

_UFUNCS = {
    "add": ("add", 2), "subtract": ("sub", 2), "multiply": ("mul", 2),
    "true_divide": ("div", 2), "divide": ("div", 2), "power": ("pow", 2),
    "float_power": ("pow", 2), "negative": ("neg", 1), "positive": (None, 1),
    "absolute": ("abs", 1), "fabs": ("abs", 1), "sqrt": ("sqrt", 1), "exp": ("exp", 1),
    "log": ("log", 1), "sign": ("sign", 1), "maximum": ("max", 2), "minimum": ("min", 2),
    "fmax": ("max", 2), "fmin": ("min", 2), "less": ("lt", 2), "less_equal": ("le", 2),
    "greater": ("gt", 2), "greater_equal": ("ge", 2), "equal": ("eq", 2),
    "not_equal": ("ne", 2), "square": ("square", 1), "reciprocal": ("reciprocal", 1),
    "cbrt": ("cbrt", 1),
}


def _apply(name: str, *args):
    if name is None:
        return args[0]
    if name == "square":
        return op("pow", args[0], 2)
    if name == "reciprocal":
        return op("div", 1, args[0])
    if name == "cbrt":
        return op("pow", args[0], 1 / 3)  # never exact: a constant the parent shows as 1/3
    return op(name, *args)


def _objects(x) -> np.ndarray:
    if isinstance(x, Traced):
        return x.view(np.ndarray)
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "fiub" and x.dtype != object:
            raise Stop(f"an array of {x.dtype} in traced arithmetic")
        return x.astype(object) if x.dtype != object else x
    if isinstance(x, (Node, int, float, np.integer, np.floating, bool, np.bool_)):
        out = _np_empty((), dtype=object)
        out[()] = x.item() if isinstance(x, np.generic) else x
        return out
    if isinstance(x, (list, tuple)):
        return _np_array(x, dtype=object)
    raise Stop(f"a {type(x).__name__} in traced arithmetic")


def _has_nodes(a: np.ndarray) -> bool:
    return any(isinstance(v, Node) for v in a.flat)


class Traced(np.ndarray):
    """An object ndarray of `Node` values and numbers; every ufunc is recorded."""

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        name = ufunc.__name__
        if name not in _UFUNCS:
            raise Stop(f"np.{name}, which the tracer does not know")
        mapped, nin = _UFUNCS[name]
        where = kwargs.pop("where", True)
        kwargs.pop("casting", None), kwargs.pop("dtype", None), kwargs.pop("order", None)
        if set(kwargs) - ({"axis", "keepdims", "initial"} if method == "reduce" else set()) \
                or where is not True:
            raise Stop(f"np.{name} with {', '.join(sorted(kwargs)) or 'where='}")
        arrays = [_objects(x) for x in inputs]
        if method not in ("__call__", "reduce"):
            raise Stop(f"np.{name}.{method}")
        if method == "reduce" and mapped not in ("add", "mul", "max", "min"):
            raise Stop(f"np.{name}.reduce")
        outer = REC.current
        REC.current = REC.site() if REC.active and outer is None else outer
        try:
            if method == "reduce":
                axis = kwargs.pop("axis", None)
                keepdims = kwargs.pop("keepdims", False)
                kwargs.pop("initial", None)
                return _reduce(mapped, arrays[0], out, axis, keepdims)
            result = np.frompyfunc(lambda *xs: _apply(mapped, *xs), nin, 1)(*arrays)
        finally:
            REC.current = outer
        result = _np_asarray(result, dtype=object)
        if out is not None:
            return _store(out[0], result)
        return result.view(Traced)

    def __array_function__(self, func, types, args, kwargs):
        handler = _FUNCTIONS.get(getattr(func, "__name__", ""))
        module = getattr(func, "__module__", "") or ""
        if handler is None or "linalg" in module or "fft" in module or "random" in module:
            raise Stop(f"{module.replace('numpy', 'np')}.{getattr(func, '__name__', func)}, "
                       "which the tracer does not know")
        return handler(*args, **kwargs)

    def __float__(self):
        if self.size == 1:
            return float(self.reshape(-1)[0]) if isinstance(self.reshape(-1)[0], Node) \
                else float(self.view(np.ndarray).reshape(-1)[0])
        raise Stop("float() of a traced array")

    def __bool__(self):
        if self.size == 1:
            return bool(self.view(np.ndarray).reshape(-1)[0])
        raise Stop("the truth value of a traced array")

    def __int__(self):
        raise Stop("int() of a traced value")

    def __setitem__(self, key, value):
        if isinstance(value, np.ndarray):
            value = _objects(value)
            if value.ndim == 0:
                value = value[()]
        elif isinstance(value, (list, tuple)):
            value = _objects(value)
        np.ndarray.__setitem__(self, key, value)

    def astype(self, dtype, *args, **kwargs):
        kind = np.dtype(dtype).kind
        if kind != "f" and np.dtype(dtype) != object:
            raise Stop(f"astype({np.dtype(dtype)}) of a traced array")
        return self.copy()

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        return obj

    def item(self, *args):
        value = self.view(np.ndarray).item(*args)
        return value

    def tolist(self):
        raise Stop("tolist() of a traced array")

    @property
    def dtype(self):
        """float64 to the code under trace (``p.dtype``, ``np.issubdtype(p.dtype, np.floating)``,
        ``dtype.type(lr)``): the values stand for real numbers.  NumPy's own C code reads the
        array's real (object) dtype, not this property."""
        return np.dtype("float64")


def _store(target, result: np.ndarray):
    if isinstance(target, Traced) or (isinstance(target, np.ndarray) and target.dtype == object):
        target.view(np.ndarray)[...] = result
        return target
    if isinstance(target, np.ndarray) and not _has_nodes(result):
        target[...] = result.astype(target.dtype)
        return target
    raise Stop("traced values written into an array of numbers (out= or an in-place "
               "operator on an array made with np.zeros(..., dtype) or _np_array(...))")


def _reduce(name: str, a: np.ndarray, out=None, axis=None, keepdims=False):
    a = _np_asarray(a, dtype=object)
    if isinstance(axis, tuple) and len(axis) == 1:
        axis = axis[0]
    if axis is None or a.ndim == 0:
        result = _np_empty((), dtype=object)
        result[()] = _fold(name, list(a.reshape(-1)))
        if keepdims:
            result = result.reshape((1,) * a.ndim)
    elif isinstance(axis, int):
        moved = np.moveaxis(a, axis, 0)
        result = _np_asarray(np.frompyfunc(lambda *xs: _fold(name, xs), moved.shape[0], 1)(
            *moved), dtype=object)
        if keepdims:
            result = np.expand_dims(result, axis)
    else:
        raise Stop(f"a reduction over the axes {axis}")
    if out is not None:
        return _store(out[0] if isinstance(out, tuple) else out, result)
    return result.view(Traced)


def _fold(name: str, values):
    values = list(values)
    if not values:
        return {"add": 0.0, "mul": 1.0}.get(name, 0.0)
    acc = values[0]
    for v in values[1:]:
        acc = op(name, acc, v)
    return acc


# -- NumPy functions ---------------------------------------------------------------

def _like(fill):
    def make(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
        return _filled(np.shape(a) if shape is None else shape, fill)
    return make


def _filled(shape, value):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.view(np.ndarray)[()]
    elif isinstance(value, np.ndarray):
        return np.broadcast_to(_objects(value), shape).copy().view(Traced)
    base = _np_empty(shape, dtype=object)
    base[...] = value
    return base.view(Traced)


def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _filled(np.shape(a) if shape is None else shape, fill_value)


def _copy(a, *args, **kwargs):
    return _np_array(_objects(a), dtype=object, copy=True).view(Traced)


def _where(cond, a=None, b=None):
    if a is None or b is None:
        raise Stop("np.where with one argument")
    arrays = [_objects(cond), _objects(a), _objects(b)]
    result = np.frompyfunc(lambda c, x, y: op("where", c, x, y), 3, 1)(*arrays)
    return _np_asarray(result, dtype=object).view(Traced)


def _clip(a, a_min=None, a_max=None, out=None, **kwargs):
    a_min = kwargs.pop("min", a_min)
    a_max = kwargs.pop("max", a_max)
    x = _objects(a).view(Traced)
    if a_min is not None:
        x = np.maximum(x, a_min)
    if a_max is not None:
        x = np.minimum(x, a_max)
    if out is not None:
        return _store(out, _objects(x))
    return x


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    return np.add.reduce(_objects(a).view(Traced), axis=axis, out=out, keepdims=keepdims)


def _mean(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    arr = _objects(a)
    n = arr.size if axis is None else arr.shape[axis]
    return _sum(arr, axis, keepdims=keepdims) / n


def _max(a, axis=None, out=None, keepdims=False, **kwargs):
    return np.maximum.reduce(_objects(a).view(Traced), axis=axis, out=out, keepdims=keepdims)


def _min(a, axis=None, out=None, keepdims=False, **kwargs):
    return np.minimum.reduce(_objects(a).view(Traced), axis=axis, out=out, keepdims=keepdims)


def _shape_only(fn):
    def call(a, *args, **kwargs):
        return fn(_np_asarray(_objects(a)), *args, **kwargs)
    return call


def _reshape_like(fn):
    def call(a, *args, **kwargs):
        return _np_asarray(fn(_objects(a), *args, **kwargs), dtype=object).view(Traced)
    return call


def _join(fn):
    def call(arrays, *args, **kwargs):
        return _np_asarray(fn([_objects(a) for a in arrays], *args, **kwargs),
                          dtype=object).view(Traced)
    return call


_FUNCTIONS = {
    "zeros_like": _like(0.0), "ones_like": _like(1.0), "empty_like": _like(0.0),
    "full_like": _full_like, "copy": _copy, "array": _copy, "asarray": _copy,
    "where": _where, "clip": _clip, "sum": _sum, "mean": _mean, "amax": _max, "max": _max,
    "amin": _min, "min": _min, "shape": _shape_only(np.shape), "ndim": _shape_only(np.ndim),
    "size": _shape_only(np.size), "reshape": _reshape_like(np.reshape),
    "ravel": _reshape_like(np.ravel), "squeeze": _reshape_like(np.squeeze),
    "transpose": _reshape_like(np.transpose), "broadcast_to": _reshape_like(np.broadcast_to),
    "atleast_1d": _reshape_like(np.atleast_1d), "expand_dims": _reshape_like(np.expand_dims),
    "concatenate": _join(np.concatenate), "stack": _join(np.stack),
    "copyto": lambda dst, src, **kw: _store(dst, _objects(src)),
    "result_type": lambda *a, **k: np.dtype("float64"),
    "isscalar": lambda x: False, "iscomplexobj": lambda x: False,
    "isrealobj": lambda x: True, "may_share_memory": lambda a, b, **k: np.may_share_memory(
        _np_asarray(_objects(a)), _np_asarray(_objects(b))),
    "shares_memory": lambda a, b, **k: np.shares_memory(
        _np_asarray(_objects(a)), _np_asarray(_objects(b))),
}


# -- install: NumPy constructors and math, module-wide --------------------------------

def _random(name, original):
    def call(*args, **kwargs):
        if REC.active:
            raise Stop(f"np.random.{name}: random numbers make the update no function of its "
                       "inputs")
        return original(*args, **kwargs)
    call.__name__ = name
    return call


def _zeros_maker(fill):
    original = {"zeros": np.zeros, "ones": np.ones, "empty": np.empty}[fill]
    value = {"zeros": 0.0, "ones": 1.0, "empty": 0.0}[fill]

    def make(shape, dtype=float, *args, **kwargs):
        if not REC.active:
            return original(shape, dtype, *args, **kwargs)
        base = _np_empty(shape, dtype=object)
        base[...] = value
        return base.view(Traced)
    make.__name__ = fill
    return make


def _full(shape, fill_value, dtype=None, *args, **kwargs):
    if not REC.active:
        return _ORIGINAL["full"](shape, fill_value, dtype, *args, **kwargs)
    return _filled(shape, fill_value)


def _converting(name):
    original = getattr(np, name)

    def convert(obj, *args, **kwargs):
        if REC.active and (isinstance(obj, (Node, Traced)) or (
                isinstance(obj, (list, tuple)) and any(isinstance(x, (Node, Traced)) for x in obj))):
            return _copy(obj)
        return original(obj, *args, **kwargs)
    convert.__name__ = name
    return convert


def _math(name, opname):
    original = getattr(math, name)

    def call(x, *rest):
        if isinstance(x, (Node, Traced)) or any(isinstance(r, (Node, Traced)) for r in rest):
            if opname is None:
                raise Stop(f"math.{name} of a traced value")
            if isinstance(x, Traced):
                x = _objects(x)[()] if x.ndim == 0 else x
                if isinstance(x, Traced):
                    raise Stop(f"math.{name} of a traced array")
            if opname == "pow":
                return op("pow", x, rest[0])
            return op(opname, x)
        return original(x, *rest)
    call.__name__ = name
    return call


_ORIGINAL: dict = {}


def install(namespaces=()) -> None:
    """Replace NumPy's constructors and ``math``'s functions for the life of this process,
    and the same names wherever a namespace (the target's module) imported them."""
    if _ORIGINAL:
        return
    replacements = {}
    for name in ("zeros", "ones", "empty"):
        _ORIGINAL[name] = getattr(np, name)
        replacements[id(_ORIGINAL[name])] = _zeros_maker(name)
    _ORIGINAL["full"] = np.full
    replacements[id(np.full)] = _full
    for name in ("array", "asarray", "asanyarray"):
        _ORIGINAL[name] = getattr(np, name)
        replacements[id(_ORIGINAL[name])] = _converting(name)
    for name, opname in (("sqrt", "sqrt"), ("exp", "exp"), ("log", "log"), ("fabs", "abs"),
                         ("pow", "pow"), ("floor", None), ("ceil", None), ("isnan", None),
                         ("isfinite", None), ("isinf", None)):
        _ORIGINAL["math." + name] = getattr(math, name)
        replacements[id(_ORIGINAL["math." + name])] = _math(name, opname)
    for name in ("zeros", "ones", "empty", "full", "array", "asarray", "asanyarray"):
        setattr(np, name, replacements[id(_ORIGINAL[name])])
    for name in ("sqrt", "exp", "log", "fabs", "pow", "floor", "ceil", "isnan", "isfinite",
                 "isinf"):
        setattr(math, name, replacements[id(_ORIGINAL["math." + name])])
    import numpy.random as npr
    for name in dir(npr):  # random numbers: the formula is no longer a function of the inputs
        fn = getattr(npr, name)
        if callable(fn) and not isinstance(fn, type) and not name.startswith("_"):
            _ORIGINAL["random." + name] = fn
            replacements[id(fn)] = _random(name, fn)
            setattr(npr, name, replacements[id(fn)])
    for ns in namespaces:
        for key, value in list(ns.items()):
            new = replacements.get(id(value))
            if new is not None:
                ns[key] = new


# -- one trace ----------------------------------------------------------------------

def _count(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


def _leaf(name: str, nominal: float, free: bool) -> Node:
    REC.ops.append(["sym", [name], [-1, 0, 0, 0]])
    REC.nominal.append(nominal)
    REC.free.append(free)
    return Node(len(REC.ops) - 1)


def _array_of(leaves: list, shape) -> "Traced":
    base = _np_empty(len(leaves), dtype=object)
    for i, leaf in enumerate(leaves):
        base[i] = leaf
    return base.reshape(shape).view(Traced)


def _hyper(value):
    """A hyperparameter as the target sees it: a 0-d traced array behaves as a number."""
    base = _np_empty((), dtype=object)
    base[()] = value
    return base.view(Traced)


def _elements(value) -> list | None:
    """The recorded value of a parameter after an update: node ids and constants."""
    if isinstance(value, Node):
        return [value.i]
    if _is_number(value):
        return [_const(value)]
    if isinstance(value, np.ndarray):
        flat = value.view(np.ndarray).reshape(-1) if isinstance(value, Traced) else value.reshape(-1)
        out = []
        for v in flat:
            if isinstance(v, Node):
                out.append(v.i)
            elif _is_number(v):
                out.append(_const(v))
            else:
                raise Stop(f"a parameter holds a {type(v).__name__}")
        return out
    return None


def run(factory, kwargs: dict, hypers: list, shapes: dict, steps: int, nominal: dict,
        warmup: bool = False) -> dict:
    """Build the instance with ``kwargs`` (hyperparameters given as floats equal to one of
    ``hypers``' values become symbols), run ``steps`` updates on traced parameters and
    gradients of ``shapes``, and return what was recorded.  ``warmup``: first run another
    instance on plain numbers, as a check of isolation between instances does, so that
    what it leaves behind (a class-level dict, a mutable default) is in the trace.

    ``hypers``: [[spec name, the float standing for it]]; ``nominal``: the values the
    leaves take where a branch on hyperparameters is decided, ``{"W:key:i": x,
    "g:key:i:step": x}``.
    """
    symbolic = {float(v): name for name, v in hypers}

    def symbol(value):
        if isinstance(value, float) and value in symbolic:
            return _hyper(_leaf("h:" + symbolic[value], value, False))
        if isinstance(value, tuple):
            return tuple(symbol(v) for v in value)
        return value

    if warmup:
        other = factory(**kwargs)
        plain = {k: _np_array([nominal.get(f"W:{k}:{i}", 0.5) for i in range(_count(s))],
                              dtype=float).reshape(tuple(s)) for k, s in shapes.items()}
        for step in range(1, steps + 1):
            other.update(plain, {k: _np_array([nominal.get(f"g:{k}:{i}:{step}", 0.25)
                                               for i in range(_count(s))],
                                              dtype=float).reshape(tuple(s))
                                 for k, s in shapes.items()})
    params, after = {}, []
    for key, shape in shapes.items():
        n = int(np.prod(shape, dtype=int)) if shape else 1
        params[key] = _array_of([_leaf(f"W:{key}:{i}", nominal.get(f"W:{key}:{i}", 0.5), True)
                                 for i in range(n)], tuple(shape))
    REC.active = True
    try:
        obj = factory(**{k: symbol(v) for k, v in kwargs.items()})
        for step in range(1, steps + 1):
            REC.step = step
            grads = {}
            for key, shape in shapes.items():
                n = int(np.prod(shape, dtype=int)) if shape else 1
                grads[key] = _array_of(
                    [_leaf(f"g:{key}:{i}:{step}", nominal.get(f"g:{key}:{i}:{step}", 0.25), True)
                     for i in range(n)], tuple(shape))
            before = dict(params)
            returned = obj.update(params, grads)
            if isinstance(returned, dict) and all(params[k] is before[k] for k in before) \
                    and set(returned) >= set(params):
                params = {k: returned[k] for k in params}  # the values came back in a new dict
            record = {}
            for key in shapes:
                elements = _elements(params.get(key))
                if elements is None:
                    raise Stop(f"params[{key!r}] is a {type(params.get(key)).__name__} after "
                               "the update")
                record[key] = elements
            after.append(record)
    finally:
        REC.active = False
    return {"ops": REC.ops, "after": after, "assumptions": REC.assumptions, "files": REC.files}
