"""Targets given as objects (``check(Adam)``) and file targets found from the caller.

A class or function passed to `checker.check` never runs in the checker's process
again: the worker loads it afresh, in one of two ways.

- **By name**, when its module is an ordinary importable module (``mylib.optim``)
  that the worker, with the caller's ``sys.path``, finds at the same file: the
  worker imports ``mylib.optim`` and takes ``Adam`` from it.
- **By source** otherwise: a class defined in a test file (importing a test module
  would run it), in a script run as ``__main__``, or in a notebook.  The class and
  the imports and helpers it uses are cut out of the file, or out of the kernel's
  cells (IPython's ``In``) in a notebook, exactly as for ``notebook.ipynb:Adam``,
  and line numbers in a report point into that file or cell.

A closure, a lambda, a nested class or a method cannot be rebuilt from source on
its own: those are a `UsageError` that says how to define it instead.
"""

from __future__ import annotations

import importlib.util
import inspect
import linecache
import os
import sys
from pathlib import Path

from . import _extract
from ._errors import UsageError

__all__ = ["Resolved", "caller_folder", "from_object"]

_HERE = os.path.dirname(os.path.abspath(__file__))


class Resolved:
    """Where an object target comes from: a dotted import, a file to extract, or cells."""

    def __init__(self, display: str, target: _extract.Target, *, module: str | None = None,
                 root: str | None = None, ext: _extract.Extracted | None = None,
                 home: str | None = None):
        self.display, self.target, self.module, self.root, self.ext = display, target, module, root, ext
        self.home = home  # where the source's own imports resolve: its file's or kernel's folder


def caller_folder() -> str:
    """The folder of the first caller outside this package (a test file, a script), or the
    current folder for an interactive session, where there is no file to start from."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not os.path.abspath(name).startswith(_HERE + os.sep):
            filename = frame.f_globals.get("__file__")
            if isinstance(filename, str) and os.path.exists(filename):
                return os.path.dirname(os.path.abspath(filename))
            return os.getcwd()
        frame = frame.f_back
    return os.getcwd()


def _code_file(obj) -> str | None:
    """The file (or linecache name) a class's or function's code was compiled from."""
    code = getattr(obj, "__code__", None)
    if code is not None:
        return code.co_filename
    for value in vars(obj).values():
        value = getattr(value, "__func__", value)  # staticmethod, classmethod
        if inspect.isfunction(value) and value.__qualname__.startswith(obj.__qualname__ + "."):
            return value.__code__.co_filename
    return None


def _test_module(name: str, filename: str | None) -> bool:
    """pytest's default file patterns: importing such a module would collect or run tests."""
    base = os.path.basename(filename or "") or name.rsplit(".", 1)[-1] + ".py"
    stem = os.path.splitext(base)[0]
    return stem.startswith("test_") or stem.endswith("_test") or stem == "conftest"


def _package_root(module_name: str, filename: str) -> str:
    """The ``sys.path`` folder the module was imported from (``a/b/c.py`` for ``b.c`` is ``a``)."""
    folder = os.path.dirname(os.path.abspath(filename))
    depth = module_name.count(".") + (os.path.basename(filename) == "__init__.py")
    for _ in range(depth):
        folder = os.path.dirname(folder)
    return folder


def from_object(obj) -> Resolved:
    """How the worker can load ``obj``; raises `UsageError` for what it cannot."""
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        raise UsageError(f"check() takes a target name (a str) or an optimizer class or function, "
                         f"not {type(obj).__name__} {obj!r:.60}; pass the class itself, as check(Adam)")
    name, qual = obj.__name__, getattr(obj, "__qualname__", obj.__name__)
    what = "class" if inspect.isclass(obj) else "function"
    if name == "<lambda>":
        raise UsageError("a lambda cannot be checked: its source cannot be run on its own; "
                         "define the optimizer with def or class at the top level of a module")
    if "<locals>" in qual:
        raise UsageError(f"the {what} {name} is defined inside a function ({qual}), so the worker "
                         f"cannot rebuild it (it may use the function's variables); define it at "
                         f"the top level of a module or notebook cell")
    if qual != name:
        raise UsageError(f"the {what} {qual} is nested in another class; the worker loads "
                         f"top-level classes and functions only: move {name} to the top level")
    module_name = getattr(obj, "__module__", None) or "__main__"
    module = sys.modules.get(module_name)
    filename = getattr(module, "__file__", None)
    importable = (module_name != "__main__" and filename is not None
                  and getattr(module, name, None) is obj
                  and not _test_module(module_name, filename))
    if importable:
        try:
            found = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            found = None
        origin = getattr(found, "origin", None)
        if origin and os.path.abspath(origin) == os.path.abspath(filename):
            display = f"{module_name}.{name}"
            target = _extract.Target("module", None, module_name, name, display)
            return Resolved(display, target, module=module_name,
                            root=_package_root(module_name, filename))
    code_file = _code_file(obj)
    if code_file and os.path.isfile(code_file) and (
            filename is None or os.path.abspath(code_file) == os.path.abspath(filename)):
        path = Path(code_file)
        shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
        target = _extract.Target("file", path, None, name, f"{shown}:{name}")
        ext = _extract.extract(target, extract_py=True)
        return Resolved(f"{shown}:{name}", target, ext=ext, home=str(path.resolve().parent))
    cells = _kernel_cells(module)
    if cells is None and code_file and linecache.getlines(code_file):
        cells = ["".join(linecache.getlines(code_file))]  # the one cell that defined it
    if not cells:
        raise UsageError(f"cannot find the source of the {what} {name} (defined in an interactive "
                         f"session with no source kept); put it in a file and pass 'file.py:{name}'")
    ext = _extract.extract_cells(cells, name)
    # a kernel imports from its working folder (the notebook's): so does the worker
    return Resolved(f"<notebook>:{name}", ext_target(ext), ext=ext, home=os.getcwd())


def ext_target(ext: _extract.Extracted) -> _extract.Target:
    return _extract.Target("notebook", Path("<notebook>"), None, ext.class_name,
                           f"<notebook>:{ext.class_name}")


def _kernel_cells(module) -> list[str] | None:
    """The inputs of an IPython session in execution order (``In``), if the target lives in one."""
    history = getattr(module, "In", None) if module is not None else None
    if isinstance(history, list) and all(isinstance(c, str) for c in history):
        return [c for c in history if c]
    return None
