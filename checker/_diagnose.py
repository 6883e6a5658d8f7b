"""Explain a load error or a crash of the code under test in a learner's terms.

The worker runs the code and reports what it saw: the exception's type and message,
the traceback frames, and facts about the failing frame (the types of ``self``'s
attributes, the names in scope).  This module never runs the code under test: it
reads the extracted source with `ast`, finds the failing line, maps it back to the
learner's file and matches the error against mistakes learners make -- a misspelled
name, a missing ``self.``, ``in None`` for ``is None``, a loop dedented out of its
method, an attribute taken from a number, arithmetic on a whole dict.  Every hint is
derived from the code and the error, never from known snippets.

`static_warnings` finds, without running anything, mistakes that do not always crash
(``== None``) or that crash somewhere else than where they are written.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import os
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._extract import ASSUMED_IMPORTS, Extracted

__all__ = ["Crash", "Diagnosis", "Frame", "diagnose", "static_warnings"]

_SYNTAX = {"SyntaxError", "IndentationError", "TabError"}
_NO_ATTRIBUTE = re.compile(r"'([\w.]+)' object has no attribute '(\w+)'")
_NUMBER = re.compile(r"^(?:numpy\.)?(?:bool|int|float|complex|u?int\d+|float\d+|complex\d+|(?:long)?double)$")
_OPERANDS = re.compile(r"unsupported operand type\(s\) for (\S+)(?: or pow\(\))?: '([\w.]+)' and '([\w.]+)'")
_BINOPS = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "//": ast.FloorDiv,
           "%": ast.Mod, "**": ast.Pow, "@": ast.MatMult}


@dataclass(frozen=True)
class Frame:
    filename: str
    lineno: int
    name: str  # the function; a class body's frame is named after the class
    line: str = ""


@dataclass(frozen=True)
class Crash:
    """What the worker saw, as plain data that can cross a process boundary."""

    exc_type: str
    message: str
    frames: tuple[Frame, ...] = ()  # outermost first, as traceback.extract_tb gives them
    lineno: int | None = None  # a SyntaxError's line in the compiled source
    self_types: Mapping[str, str] = field(default_factory=dict)  # {"momentum": "float"}
    scope_names: tuple[str, ...] = ()  # arguments and locals of the failing frame

    def __post_init__(self):
        # Frames may come as tuples or dicts, so `Crash(**asdict(crash))` rebuilds one sent as JSON.
        frames = [f if isinstance(f, Frame) else Frame(**f) if isinstance(f, Mapping) else Frame(*f)
                  for f in self.frames]
        object.__setattr__(self, "frames", tuple(frames))
        object.__setattr__(self, "scope_names", tuple(self.scope_names))

    @classmethod
    def of(cls, report) -> Crash:
        """A Crash from itself, the worker's ErrorInfo, or the worker's wire dict."""
        if isinstance(report, Crash):
            return report
        if isinstance(report, Mapping):  # {"type", "message", "frames", "locals", "self_attrs"}
            return cls(report.get("type", ""), report.get("message", ""),
                       [tuple(f[:3]) for f in report.get("frames") or ()], None,
                       report.get("self_attrs") or {}, tuple(report.get("locals") or ()))
        return cls(report.type_name, report.message,
                   [(f.filename, f.lineno, f.function) for f in report.frames], None,
                   report.self_attrs or {}, tuple(report.local_types or ()))

    @classmethod
    def from_exception(cls, exc: BaseException, filename: str | None = None) -> Crash:
        """Collect the facts from a caught exception (in the worker, or in a test).

        Only reads frames: the innermost one in ``filename`` (any, if None) gives
        the names in scope and the types of ``self``'s attributes.
        """
        frames = [(f.filename, f.lineno or 0, f.name) for f in traceback.extract_tb(exc.__traceback__)]
        lineno, message = None, str(exc)
        if isinstance(exc, SyntaxError):
            message = exc.msg
            lineno = exc.lineno if filename is None or _same_file(exc.filename or "", filename) else None
        mine = [f for f, _ in traceback.walk_tb(exc.__traceback__)
                if filename is None or _same_file(f.f_code.co_filename, filename)]
        scope, self_types = (), {}
        if mine:
            scope = tuple(mine[-1].f_locals)
            obj = mine[-1].f_locals.get("self")
            if isinstance(getattr(obj, "__dict__", None), dict):
                self_types = {k: type(v).__name__ for k, v in vars(obj).items()}
        return cls(type(exc).__name__, message, frames, lineno, self_types, scope)


@dataclass(frozen=True)
class Diagnosis:
    file: str
    line: int | None  # in the ORIGINAL file
    source_line: str
    exception: str | None  # "NameError: name 'parmas' is not defined"; None for static findings
    hint: str | None
    hint_kind: str | None  # "misspelled-name", "class-level", ...
    status: str = "fail"  # or "warn": a finding that did not (yet) crash
    detail: str | None = None  # "cell 4, line 3" in a notebook

    def describe(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        where += f" ({self.detail})" if self.detail else ""
        extra = [f"\n  {self.exception}"] if self.exception else []
        extra += [f"\n  hint: {self.hint}"] if self.hint else []
        return f"{where}: {self.source_line}" + "".join(extra)


def diagnose(crash, extracted: Extracted) -> Diagnosis:
    """Locate a crash in the learner's file and explain it, if it is a known mistake.

    ``crash`` is a `Crash`, or what the worker reports (see `Crash.of`).
    """
    crash = Crash.of(crash)
    lines = extracted.lines
    n = _failing_line(crash, extracted, len(lines))
    message = re.sub(r" \([^()]*, line \d+\)$", "", crash.message)  # str(SyntaxError) repeats the place
    if crash.exc_type in _SYNTAX:  # "after class definition on line 1" counts the extract's lines
        message = re.sub(r"on line (\d+)", lambda m: f"on line {extracted.original_line(int(m[1])) or m[1]}",
                         message)
    try:
        tree = ast.parse(extracted.source)
    except SyntaxError:
        tree = None
    ctx = _Ctx(crash, message, extracted, n, lines[n - 1].strip() if n and n <= len(lines) else "", tree)
    kind = hint = None
    for analyse in _ANALYSERS:
        try:
            kind, hint = analyse(ctx) or (None, None)
        except Exception:  # a broken hint must never hide the error itself
            continue
        if hint:
            break
    exception = f"{crash.exc_type}: {message}" if message else crash.exc_type
    return _diagnosis(extracted, n, exception, kind, hint, "fail")


def static_warnings(extracted: Extracted) -> list[Diagnosis]:
    """Mistakes visible in the source without running it, as "warn" diagnoses."""
    try:
        tree = ast.parse(extracted.source)
    except SyntaxError:
        return []  # a load error, for diagnose() to report
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found += [(node.lineno, k, h) for k, h in _compare_none(node)]
        for stmt in node.body if isinstance(node, ast.ClassDef) else ():
            if result := _class_level(node, stmt):
                found.append((stmt.lineno, *result))
                if result[0] == "pseudo-code":
                    break  # once per class is enough
    return [_diagnosis(extracted, n, None, k, h, "warn") for n, k, h in sorted(found)]


# -- locating -----------------------------------------------------------------------------


def _same_file(a: str, b: str) -> bool:
    if a == b or not a or not b or a.startswith("<") or b.startswith("<"):
        return a == b
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _failing_line(crash: Crash, ext: Extracted, n_lines: int) -> int | None:
    if crash.exc_type in _SYNTAX and crash.lineno:
        return max(1, min(crash.lineno, n_lines))  # an IndentationError may point past the end
    mine = [f for f in crash.frames if _same_file(f.filename, ext.filename)
            or _same_file(f.filename, str(ext.origin_path))]
    # The innermost frame in the learner's code, even when numpy raised.
    return max(1, min(mine[-1].lineno, n_lines)) if mine else None


def _diagnosis(ext: Extracted, n: int | None, exception, kind, hint, status) -> Diagnosis:
    lines = ext.lines
    text = lines[n - 1].strip() if n and n <= len(lines) else ""
    line, detail = (ext.original_line(n), ext.cell_detail(n)) if n else (None, None)
    return Diagnosis(str(ext.origin_path), line, text, exception, hint, kind, status, detail)


@dataclass
class _Ctx:
    crash: Crash
    message: str
    ext: Extracted
    n: int | None
    text: str
    tree: ast.Module | None

    def enclosing(self, *types):
        """The innermost node of one of ``types`` that spans the failing line."""
        if self.tree is None or self.n is None:
            return None
        n = self.n
        spans = [x for x in ast.walk(self.tree) if isinstance(x, types) and x.lineno <= n <= x.end_lineno]
        return max(spans, key=lambda x: x.lineno, default=None)

    @property
    def func(self):
        return self.enclosing(ast.FunctionDef, ast.AsyncFunctionDef)

    @property
    def cls(self):
        return self.enclosing(ast.ClassDef)

    def on_line(self):
        """Nodes that start on the failing line, and a child-to-parent map."""
        stmt = self.enclosing(ast.stmt)
        if stmt is None:
            return [], {}
        parents = {c: p for p in ast.walk(stmt) for c in ast.iter_child_nodes(p)}
        return [x for x in ast.walk(stmt) if getattr(x, "lineno", None) == self.n], parents

    def me(self) -> str:
        return ((_args(self.func) if self.func else []) or ["self"])[0]


# -- facts about the code -------------------------------------------------------------------


def _args(func) -> list[str]:
    a = func.args
    extra = [x.arg for x in (a.vararg, a.kwarg) if x]
    return [x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs]] + extra


def _methods(cls) -> dict:
    return {f.name: f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _self_attrs(cls) -> dict[str, list[tuple[str, ast.expr | None]]]:
    """``self.X`` assigned in any method: X -> [(method, the value assigned, if known)]."""
    found: dict[str, list] = {}

    def record(target, value, method, me):
        if isinstance(target, (ast.Tuple, ast.List)):  # self.m, self.v = {}, {}
            paired = isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts)
            for t, v in zip(target.elts, value.elts if paired else [None] * len(target.elts)):
                record(t, v, method, me)
        elif _is_self_attr(target, me):
            found.setdefault(target.attr, []).append((method, value))

    for name, func in _methods(cls).items():
        me = (_args(func) or ["self"])[0]
        for node in ast.walk(func):
            for target in node.targets if isinstance(node, ast.Assign) else ():
                record(target, node.value, name, me)
            if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
                record(node.target, None, name, me)
    return found


def _init_origin(cls, attr: str) -> tuple[str | None, object]:
    """How ``__init__`` sets ``self.attr``: (the argument it comes from, its default or the constant)."""
    init = _methods(cls).get("__init__")
    for method, value in _self_attrs(cls).get(attr, []):
        if method == "__init__" and isinstance(value, ast.Constant):
            return None, value.value
        if method == "__init__" and isinstance(value, ast.Name) and value.id in _args(init):
            a = init.args
            positional = [x.arg for x in [*a.posonlyargs, *a.args]]
            defaults = dict(zip(positional[len(positional) - len(a.defaults):], a.defaults))
            defaults |= {x.arg: d for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None}
            d = defaults.get(value.id)
            return value.id, d.value if isinstance(d, ast.Constant) else None
    return None, None


def _is_self_attr(node, me: str) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == me


def _is_none(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _has_placeholders(cls) -> bool:
    """``...`` statements beside real ones: pseudo-code with parts left out."""
    bodies = [cls.body, *(f.body for f in _methods(cls).values())]
    return any(isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and s.value.value is Ellipsis
               for body in bodies if len(body) > 1 for s in body)


def _index_name(ctx: _Ctx) -> str:
    """The loop variable the line indexes with (``key``), to write a suggestion."""
    for node in ctx.on_line()[0]:
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name):
            return node.slice.id
    loop = ctx.enclosing(ast.For)
    return loop.target.id if loop is not None and isinstance(loop.target, ast.Name) else "key"


# -- the known mistakes: each returns (hint_kind, hint) or None ----------------------------------


def _syntax(ctx: _Ctx):
    if ctx.crash.exc_type not in _SYNTAX:
        return None
    if m := re.search(r"expected an indented block after (class|function) definition", ctx.message):
        what = "class" if m[1] == "class" else "method"
        return "no-body", (f"the {what} has no body: nothing indented follows its first line "
                           "(the rest was never written, or was lost in the export)")
    code = ctx.text.split("#", 1)[0]
    if re.search(r"(?<!\.)\.\.(?!\.)", code):
        return "double-dot", "`..` is not valid Python: did you mean `.`?"
    if "..." in code or any(line.strip() == "..." for line in ctx.ext.lines):
        return "pseudo-code", "`...` marks left-out code: this is pseudo-code, not a class that can run"
    if ctx.crash.exc_type == "TabError" or "unindent does not match" in ctx.message:
        return "indentation", "this line's indentation matches no enclosing block; use 4 spaces per level"
    if "unexpected indent" in ctx.message:
        return "indentation", "this line is indented more than the block it belongs to"
    return None


def _class_level(cls, stmt):
    """A statement of a class body that belongs in a method."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass, ast.Import,
                         ast.ImportFrom)):
        return None
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return None  # a docstring, or the `...` of pseudo-code
    names = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    before = [f for f in _methods(cls).values() if f.end_lineno < stmt.lineno]
    # Reading the previous method's arguments, or a block using `self` right after a
    # method: the learner meant it as the end of that method.
    block = isinstance(stmt, (ast.For, ast.While, ast.If, ast.With, ast.Try))
    if before and (names & set(_args(before[-1])[1:]) or block and "self" in names):
        m = before[-1].name
        return "class-level", (f"this line runs at class level, not inside `{m}`: it is indented less "
                               f"than the method's body; indent it into `{m}`")
    if "self" in names and _has_placeholders(cls):
        return "pseudo-code", ("`self` used at class level: this is pseudo-code (`...` marks left-out code), "
                               "not a class that can run; write `__init__` out in full")
    if "self" in names:
        return "class-level", ("`self` used at class level, where there is no object yet; "
                               "move this line into a method such as `__init__`")
    return None


def _at_class_level(ctx: _Ctx):
    cls, func = ctx.cls, ctx.func
    if cls is None or func is not None and func.lineno > cls.lineno:
        return None  # inside a method
    stmt = next((s for s in cls.body if s.lineno <= ctx.n <= s.end_lineno), None)
    return _class_level(cls, stmt) if stmt else None


def _name_error(ctx: _Ctx):
    m = re.search(r"name '(\w+)' is not defined", ctx.message)
    if ctx.crash.exc_type != "NameError" or not m:
        return None
    name = m[1]
    if ctx.cls is not None and name in _self_attrs(ctx.cls):
        return "missing-self", f"did you mean `{ctx.me()}.{name}`? `{name}` alone is not defined here"
    if name in ASSUMED_IMPORTS:
        return "missing-import", f"add `{ASSUMED_IMPORTS[name]}` at the top of the file"
    scope = set(ctx.crash.scope_names) | set(dir(builtins))
    if ctx.func is not None:
        scope |= set(_args(ctx.func)) | {n.id for n in ast.walk(ctx.func) if isinstance(n, ast.Name)}
    for node in ctx.tree.body if ctx.tree else ():
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            scope |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.add(node.name)
        elif isinstance(node, ast.Assign):
            scope |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    close = difflib.get_close_matches(name, sorted(scope - {name}), n=1)
    return ("misspelled-name", f"did you mean `{close[0]}`?") if close else None


def _number_attribute(ctx: _Ctx):
    """``self.momentum.v[key]``: an attribute read from a hyperparameter."""
    m = _NO_ATTRIBUTE.match(ctx.message)
    if ctx.crash.exc_type != "AttributeError" or not m or not _NUMBER.match(m[1]):
        return None
    typ, attr, me = m[1], m[2], ctx.me()
    nodes, parents = ctx.on_line()
    node = next((x for x in nodes if isinstance(x, ast.Attribute) and x.attr == attr
                 and _is_self_attr(x.value, me)), None)
    if node is None:
        return None
    base = f"{me}.{node.value.attr}"
    arg, value = _init_origin(ctx.cls, node.value.attr) if ctx.cls else (None, None)
    origin = (f" (the `{arg}` argument of `__init__`, default {value})" if arg and value is not None
              else f" (set to {value} in `__init__`)" if value is not None else "")
    if ctx.cls is None or attr not in _self_attrs(ctx.cls):
        return "attribute-of-number", f"`{base}` is a {typ}{origin}; a number has no attribute `{attr}`"
    fixed = ast.Attribute(ast.Name(me, ast.Load()), attr, ast.Load())
    outer = parents.get(node)
    if isinstance(outer, ast.Subscript) and outer.value is node:
        fixed = ast.Subscript(fixed, outer.slice, ast.Load())
    suggestion = f"{base} * {ast.unparse(fixed)}"
    return "attribute-of-number", f"`{base}` is a {typ}{origin}; did you mean `{suggestion}`?"


def _self_attribute(ctx: _Ctx):
    """``self.grads``: an attribute never assigned, often an argument or a misspelling."""
    m = _NO_ATTRIBUTE.match(ctx.message)
    if ctx.crash.exc_type != "AttributeError" or not m or ctx.cls is None or m[1] == "NoneType":
        return None
    attr, me = m[2], ctx.me()
    if not any(_is_self_attr(x, me) and x.attr == attr for x in ctx.on_line()[0]):
        return None
    assigned, methods = _self_attrs(ctx.cls), _methods(ctx.cls)
    if attr in assigned:
        where = ", ".join(f"`{m}`" for m in sorted({meth for meth, _ in assigned[attr]}))
        return "attribute-before-assignment", f"`{me}.{attr}` is read before it is assigned (in {where})"
    head = f"`{me}.{attr}` is never assigned"
    if attr in (_args(ctx.func)[1:] if ctx.func else []):
        return "self-attribute-is-argument", f"{head}; did you mean the argument `{attr}`?"
    if close := difflib.get_close_matches(attr, sorted({*assigned, *methods}), n=1):
        return "misspelled-attribute", f"{head}; did you mean `{me}.{close[0]}`?"
    return "unassigned-attribute", f"{head}; set it in `__init__`"


def _in_none(ctx: _Ctx):
    if ctx.crash.exc_type != "TypeError" or "argument of type 'NoneType'" not in ctx.message:
        return None
    for node in ctx.on_line()[0]:
        for op, right in zip(node.ops, node.comparators) if isinstance(node, ast.Compare) else ():
            if isinstance(op, (ast.In, ast.NotIn)) and _is_none(right):
                left, neg = ast.unparse(node.left), isinstance(op, ast.NotIn)
                return "in-none", (f"`{left} {'not in' if neg else 'in'} None` tests membership; "
                                   f"to test for None write `{left} is {'not ' if neg else ''}None`")
    return None


def _none_state(ctx: _Ctx):
    """``self.h[key]`` while ``self.h`` is still the None that ``__init__`` put there."""
    if "NoneType" not in ctx.message or ctx.cls is None:
        return None
    nodes, me = ctx.on_line()[0], ctx.me()
    used = [x.value for x in nodes if isinstance(x, (ast.Subscript, ast.Attribute))]
    used += [side for x in nodes if isinstance(x, ast.BinOp) for side in (x.left, x.right)]
    init_none = {a for a, sets in _self_attrs(ctx.cls).items()
                 if any(m == "__init__" and _is_none(v) for m, v in sets)}
    for node in used:
        if _is_self_attr(node, me) and ctx.crash.self_types.get(
                node.attr, "NoneType" if node.attr in init_none else None) == "NoneType":
            x = f"{me}.{node.attr}"
            return "none-state", f"`{x}` is still None here: give it a value (`{x} = {{}}`) before using it"
    return None


def _dict_arithmetic(ctx: _Ctx):
    """``self.momentum * self.v``: arithmetic on the dict of all keys instead of one entry."""
    m = _OPERANDS.search(ctx.message)
    if ctx.crash.exc_type != "TypeError" or not m or "dict" not in m.group(2, 3):
        return None
    symbol, left_type = m[1], m[2]
    op = _BINOPS.get(symbol.rstrip("="), ())
    for node in ctx.on_line()[0]:
        if isinstance(node, ast.BinOp) and isinstance(node.op, op):
            sides = [node.left, node.right]
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, op) and symbol.endswith("="):
            sides = [node.target, node.value]
        else:
            continue
        expr = sides[0] if left_type == "dict" else sides[1]
        if isinstance(expr, (ast.Name, ast.Attribute)):
            text = ast.unparse(expr)
            return "dict-arithmetic", (f"`{text}` is a dict of arrays, one per key; "
                                       f"did you mean `{text}[{_index_name(ctx)}]`?")
    return None


def _compare_none(node: ast.Compare):
    operands = [node.left, *node.comparators]
    for op, a, b in zip(node.ops, operands, operands[1:]):
        if isinstance(op, (ast.Eq, ast.NotEq)) and (_is_none(a) or _is_none(b)):
            x, neg = ast.unparse(b if _is_none(a) else a), isinstance(op, ast.NotEq)
            op_text, is_text = ("!=", "is not") if neg else ("==", "is")
            yield "eq-none", (f"`{x} {op_text} None` happens to work here but compares element-wise "
                              f"once {x.rsplit('.', 1)[-1]} is an array; write `{x} {is_text} None`")
        elif isinstance(op, (ast.In, ast.NotIn)) and _is_none(b):
            x = ast.unparse(a)
            yield "in-none", (f"`{x} in None` tests membership and raises TypeError; "
                              f"to test for None write `{x} is None`")


# Order matters: a class-level statement raises a NameError for a method's argument,
# which must not be explained as a misspelling.
_ANALYSERS = [_syntax, _at_class_level, _name_error, _number_attribute, _self_attribute,
              _in_none, _none_state, _dict_arithmetic]
