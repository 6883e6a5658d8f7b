"""Load a target class into *this* process, for reproduction snippets only.

The checker itself never does this: it runs the code under test in a worker.
A person reproducing a failure wants the very class the checker judged,
extracted the same way from a notebook or a text.
"""

from __future__ import annotations

import importlib
import sys
import types

from . import _extract


def load_class(target: str, extract_py: bool = False) -> type:
    """The class named by ``target`` (as ``python -m checker`` understands it)."""
    t = _extract.parse_target(target)
    if t.kind == "module":
        return getattr(importlib.import_module(t.module), t.class_name)
    if t.kind == "file" and not extract_py:
        ext = _extract.read_py(t)
    else:
        ext = _extract.extract(t, extract_py=extract_py)
    module = types.ModuleType(f"_checker_target_{t.class_name}")
    module.__file__ = ext.filename or str(t.path)
    sys.modules[module.__name__] = module
    exec(compile(ext.source, module.__file__, "exec"), module.__dict__)
    return module.__dict__[t.class_name]
