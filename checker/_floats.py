"""Python float parameters: a question of their own, answered with a warning.

The book's chapter 6 comparison script (``optimizer_compare_naive.py``) passes
Python floats, ``params['x'], params['y'] = -7.0, 2.0``; its networks pass arrays.
A float cannot be changed in place, so only ``params[key] -= ...`` (which rebinds
it) moves one; ``for k, p in params.items(): p -= ...``, correct on arrays,
rebinds a local name and leaves the float where it was.  The numbers, the variant
and the named mistakes are judged on arrays; this property says what a float
parameter would go through, and why, as a warning and never as a failure.  Only
the book's dict API is asked: the list API of the second volume holds arrays.
"""

from __future__ import annotations

import numpy as np

from ._diagnose import diagnose
from ._findings import Finding, Report
from ._judge import Match, check_against, closest
from ._session import Failure
from ._source import loop_variable_update
from ._strategies import FLOAT_KEY, FLOAT_VALUE, Problem, with_python_float

PROPERTY = "Python float parameters"
FIX = "write `params[key] -= ...`, which rebinds a float and updates an array in place"


def float_parameters(report: Report, ctx, probe: Problem, ext, name: str) -> Finding:
    """Run the probe with one more key holding a Python float; pass if it is rebound to
    the right value, warn with the cause otherwise."""
    problem = with_python_float(probe)
    key = FLOAT_KEY
    intro = (f"params[{key!r}] is a Python float (the book's chapter 6 comparison script passes "
             f"them: `params[{key!r}] = {FLOAT_VALUE}`)")
    try:
        traj = ctx.session.run(ctx.kwargs(problem.hypers), problem.params, problem.grads)
    except Failure as f:
        return report.add(Finding("numeric", "warn", PROPERTY,
                                  f"{intro}; {_failed(f, ext)}; {FIX}", {"key": key, "op": f.op}))
    results = [Match(m.rule, m.hypers, check_against(m.rule, m.hypers, traj, problem.grads))
               for m in ctx.candidates]
    if any(r.ok for r in results):
        return report.add(Finding("numeric", "pass", PROPERTY,
                                  f"a Python float params[{key!r}] is rebound to its new value"))
    mm = closest(results).mismatch
    moved = any(np.asarray(g[key]) != FLOAT_VALUE for g in traj.got[1:])
    if not moved and mm.key == key:
        line = loop_variable_update(ext, name, ctx.api)
        how = (f"`{line.text}` ({line.where}) updates the loop variable: on an array that is "
               "in place, on a float it" if line is not None else
               "the update is made on a name bound to the value, which for a float")
        message = f"{intro}; {how} rebinds a local name and params[{key!r}] never moves; {FIX}"
    else:
        message = f"{intro}; with it: {mm.describe()}"
    return report.add(Finding("numeric", "warn", PROPERTY, message,
                              {"key": key, "step": mm.step, "moved": bool(moved)}))


def _failed(f: Failure, ext) -> str:
    """What happened to the float, said with the line it happened on."""
    error = f.worker.error if f.worker is not None else None
    if f.kind != "crash" or error is None:
        return f"with it {f.op} failed ({f.kind}: {f.message})"
    exc = f"{error.type_name}: {error.message}"
    if ext is not None:
        d = diagnose(error, ext)
        if d.line is not None:
            return f"`{d.source_line}` ({d.file}:{d.line}) raises {exc} on it"
    frame = error.frames[-1] if error.frames else None
    if frame is not None:
        return f"`{frame.line}` ({frame.filename}:{frame.lineno}) raises {exc} on it"
    return f"update raises {exc} on it"
