"""Findings that explain: a failure with its file, line and hint; defaults beside the sources'."""

from __future__ import annotations

import os

import spec

from ._diagnose import diagnose
from ._findings import Finding, Report
from ._judge import Match
from ._session import Failure


def _failure_finding(f: Failure, ext, prop: str, report: Report) -> Finding:
    """A load error or crash, explained; a hang or exit, said plainly."""
    message = f.message
    details: dict = {"op": f.op}
    if f.step is not None:
        details["step"] = f.step
    error = f.worker.error if f.worker is not None else None
    if error is not None and f.kind in ("load", "crash"):
        details["exception"] = f"{error.type_name}: {error.message}"
        if ext is not None:
            d = diagnose(error, ext)
            details.update(file=d.file, line=d.line, source_line=d.source_line, hint=d.hint,
                           hint_kind=d.hint_kind)
            message = d.describe()
        else:
            frame = error.frames[-1] if error.frames else None
            if frame is not None:
                details.update(file=frame.filename, line=frame.lineno, source_line=frame.line)
                message = f"{frame.filename}:{frame.lineno}: {frame.line}\n  {error.type_name}: {error.message}"
            else:
                message = f"{error.type_name}: {error.message}"
    elif f.kind == "timeout":
        message = f"{f.op} did not return in time ({f.message}); the worker was killed"
        where = _hung_where(error, ext)
        if where is not None:
            details.update(where)
            message = (f"{f.op} did not return in time ({f.message}): it was running "
                       f"{where['file']}:{where['line']}: {where['source_line']}; the worker was "
                       f"killed")
        if f.op == "load":
            message += ("\n  hint: the module runs something long when imported (training, "
                        "input(), a loop); pass --extract to take only the class and the imports "
                        "it uses (or --load-timeout S, if its import is only slow)")
    elif f.kind == "exit":
        message = f"the process running the target ended during {f.op} ({f.message})"
    if f.step is not None:
        message = f"in update, step {f.step}: {message}"
    # a static warning about the very line that failed says nothing more
    report.findings = [x for x in report.findings if not (
        x.kind == "static" and details.get("line") is not None
        and x.details.get("line") == details.get("line")
        and x.details.get("hint_kind") == details.get("hint_kind"))]
    return report.add(Finding(f.kind, "fail", prop, message, details))


def _hung_where(error, ext) -> dict | None:
    """The target's own line a hang was stuck on, from the stack the worker dumped."""
    if error is None or not error.frames:
        return None
    if ext is not None:
        d = diagnose(error, ext)
        if d.line is not None:
            return {"file": d.file, "line": d.line, "source_line": d.source_line}
    checker = os.path.dirname(os.path.abspath(__file__)) + os.sep
    own = [f for f in error.frames if not f.filename.startswith(checker)]
    if not own:
        return None
    f = own[-1]
    return {"file": f.filename, "line": f.lineno, "source_line": f.line}


def _defaults(report, fam, adapter, match: Match, rules=None, how: str = "hard-coded") -> None:
    """The constructor's defaults and hard-coded constants beside the sources' values.

    A value no source uses is worth a warning (a default beta2 = 0.01 has been
    seen in public code); an unusual learning rate only a note, since the
    sources themselves disagree on it.
    """
    values = dict(adapter.constructor_defaults())
    values.update({k: v for k, v in match.inferred.items() if k in match.rule.defaults})
    for name, value in values.items():
        if value is None:
            continue
        users: dict[float, list[str]] = {}
        for rule in rules or fam.variants:
            for source in rule.sources:
                if name in source.defaults:
                    users.setdefault(float(source.defaults[name]), []).append(source.name)
        same = sorted(set(users.get(float(value), [])))
        said = how if name in match.inferred else "default"
        report.defaults[name] = {"value": value, "how": said, "sources": same}
        if _freezes(name, value):
            report.add(Finding("defaults", "warn", "defaults",
                               f"the {said} lr = 0: with it the optimizer never moves",
                               {"name": name, "value": value}))
            continue
        if same or not users:
            continue
        usual = max(users, key=lambda v: len(users[v]))
        text = (f"the {said} {name} = {value:g} is used by no recognised source of {fam.name} "
                f"(the most common is {usual:g}: {', '.join(sorted(set(users[usual])))})")
        if name == "lr":
            report.warnings.append(text + "; merely unusual for a learning rate")
        else:
            report.add(Finding("defaults", "warn", "defaults", text + f"; did you mean {usual:g}?",
                               {"name": name, "value": value, "usual": usual}))


def _freezes(name, value) -> bool:
    """A value with which no rule moves at all: a learning rate of 0 (warned as a default;
    never passed to the probe, where it would make every variant agree)."""
    return name == "lr" and value == 0


def _valid(rule, name, value) -> bool:
    try:
        rule.resolve({name: value})
        return True
    except spec.SpecError:
        return False
