"""Finding the line of the learner's source that does what the numbers showed.

The worker reports what an update did (a parameter rebound, a ``None`` returned);
these helpers read the target's source to say where: the statement that rebinds
``params[key]``, the ``p -= ...`` on a loop variable, the ``next_w = None`` of an
unmodified starter.  They read, never run, and answer None when the source is not
at hand (a module target) or does not show it plainly.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ._extract import Extracted


@dataclass(frozen=True)
class Line:
    """One line of the learner's source: where it is and what it says."""

    where: str  # "optim.py:12", or with a notebook's cell
    line: int | None  # in the original file
    text: str

    def quote(self) -> str:
        return f"{self.where}: {self.text}"


def _tree(ext: Extracted | None) -> ast.Module | None:
    if ext is None:
        return None
    try:
        return ast.parse(ext.source)
    except SyntaxError:
        return None


def _line(ext: Extracted, node: ast.AST) -> Line:
    n = node.lineno
    lines = ext.lines
    text = lines[n - 1].strip() if 1 <= n <= len(lines) else ""
    return Line(ext.where(n), ext.original_line(n), text)


def _target_function(tree: ast.Module, name: str, api: str):
    """The function whose body makes the update: the class's ``update`` (``step`` for a
    torch optimizer), or for CS231n the function itself."""
    for node in ast.walk(tree):
        if api == "cs231n" and isinstance(node, ast.FunctionDef) and node.name == name:
            return node
        if isinstance(node, ast.ClassDef) and node.name == name:
            method = "step" if api == "torch" else "update"
            return next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == method),
                        None)
    return None


def _params_name(fn: ast.FunctionDef, api: str) -> str | None:
    args = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if api == "cs231n":
        return args[0] if args else None
    return args[1] if len(args) > 1 else None


def rebinding(ext: Extracted | None, name: str, api: str = "book") -> Line | None:
    """The statement that puts a new object into ``params[...]``: ``params[key] = ...``
    (not ``params[key][...] = ...``, which writes into the array)."""
    tree = _tree(ext)
    fn = _target_function(tree, name, api) if tree is not None else None
    params = _params_name(fn, api) if fn is not None else None
    if params is None:
        return None
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) \
                        and t.value.id == params:
                    return _line(ext, node)
    return None


def _loop_variables(fn: ast.FunctionDef, params: str) -> set[str]:
    """Names a ``for`` binds to the values of ``params``: ``for p in params.values()``,
    ``for k, p in params.items()``, ``for p, g in zip(params, grads)``, ``for p in params``
    (a list), ``for i, p in enumerate(params)``."""
    names: set[str] = set()

    def is_params(node) -> bool:
        return isinstance(node, ast.Name) and node.id == params

    def values_of_params(node) -> bool:  # params, or params.values() inside a zip
        return is_params(node) or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                                   and node.func.attr == "values" and is_params(node.func.value))

    for node in ast.walk(fn):
        if not isinstance(node, (ast.For, ast.comprehension)):
            continue
        it, target = node.iter, node.target
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and is_params(it.func.value):
            if it.func.attr == "values" and isinstance(target, ast.Name):
                names.add(target.id)
            elif it.func.attr == "items" and isinstance(target, ast.Tuple) and len(target.elts) == 2 \
                    and isinstance(target.elts[1], ast.Name):
                names.add(target.elts[1].id)
        elif isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and isinstance(target, ast.Tuple):
            if it.func.id == "zip":
                for arg, elt in zip(it.args, target.elts):
                    if values_of_params(arg) and isinstance(elt, ast.Name):
                        names.add(elt.id)
            elif it.func.id == "enumerate" and it.args and is_params(it.args[0]) \
                    and len(target.elts) == 2 and isinstance(target.elts[1], ast.Name):
                names.add(target.elts[1].id)
        elif is_params(it) and isinstance(target, ast.Name):
            names.add(target.id)
    return names


def loop_variable_update(ext: Extracted | None, name: str, api: str = "book") -> Line | None:
    """The update made on a loop variable bound to a parameter: ``p -= ...`` or
    ``np.subtract(p, step, out=p)``.  On an array both change it in place; on a
    Python float the first rebinds the local name and the second raises."""
    tree = _tree(ext)
    fn = _target_function(tree, name, api) if tree is not None else None
    params = _params_name(fn, api) if fn is not None else None
    if params is None:
        return None
    loop = _loop_variables(fn, params)
    for node in ast.walk(fn):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                and node.target.id in loop:
            return _line(ext, node)
        if isinstance(node, ast.Call) and any(
                k.arg == "out" and isinstance(k.value, ast.Name) and k.value.id in loop
                for k in node.keywords):
            return _line(ext, node)
    return None


def unimplemented(ext: Extracted | None, name: str, api: str = "book") -> Line | None:
    """Where a starter was left as it was: CS231n's ``next_w = None`` (the name the
    function returns first, assigned None), or an ``update`` whose body does nothing
    (``pass``, ``...``, a docstring, a bare ``return``)."""
    tree = _tree(ext)
    fn = _target_function(tree, name, api) if tree is not None else None
    if fn is None:
        return None
    if api == "cs231n":
        returned = None
        for node in ast.walk(fn):
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and node.value.elts \
                    and isinstance(node.value.elts[0], ast.Name):
                returned = node.value.elts[0].id
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and node.value.value is None and any(
                        isinstance(t, ast.Name) and t.id == returned for t in node.targets):
                return _line(ext, node)
        return None
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if all(isinstance(s, ast.Pass) or (isinstance(s, ast.Return) and s.value is None) for s in body):
        return _line(ext, body[0] if body else fn)
    return None
