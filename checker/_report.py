"""The report as a person reads it in a terminal, and the reproduction snippets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ._findings import Report

_MARK = {"pass": "PASS", "fail": "FAIL", "warn": "WARN"}


def _array_literal(value) -> str:
    a = np.asarray(value)
    if a.ndim == 0 and not isinstance(value, np.ndarray):
        return repr(float(value))
    return f"np.array({a.tolist()!r}, dtype=np.{a.dtype.name})"


def _load_lines(parsed) -> list[str]:
    name = parsed.class_name
    if parsed.kind == "module":
        return [f"from {parsed.module} import {name}"]
    if parsed.kind == "file":
        folder = str(Path(parsed.path).resolve().parent)
        return ["import sys", f"sys.path.insert(0, {folder!r})",
                f"from {Path(parsed.path).stem} import {name}"]
    return ["from checker import load_class  # the class exactly as the checker extracted it",
            f"{name} = load_class({parsed.spec!r})"]


def repro_snippet(parsed, adapter, hypers, problem, mm, rule) -> str:
    """Python that reproduces a numeric failure: the inputs up to its step, and both numbers."""
    kwargs = adapter.kwargs({k: hypers[k] for k in adapter.passed if k in hypers})
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    index = "".join(f"[{i}]" for i in mm.index)
    lines = ["import numpy as np", *_load_lines(parsed), "", f"opt = {parsed.class_name}({args})",
             "params = {"]
    lines += [f"    {k!r}: {_array_literal(v)}," for k, v in problem.params.items()]
    lines += ["}", "grads = ["]
    for g in problem.grads[:mm.step]:
        lines.append("    {" + ", ".join(f"{k!r}: {_array_literal(v)}" for k, v in g.items()) + "},")
    label = f"update of params[{mm.key!r}]{index} at step {mm.step}:"
    lines += ["]", "for g in grads:",
              f"    before = float(np.asarray(params[{mm.key!r}]){index})",
              "    opt.update(params, g)",
              f"print({label!r}, float(np.asarray(params[{mm.key!r}]){index}) - before)",
              f"print({'expected (' + rule.name + '):'!r}, {mm.expected!r})"]
    return "\n".join(lines)


def render(report: Report, verbose: bool = False) -> str:
    """The terminal report: a header, a line per property, details of each failure."""
    out = [f"checker: {report.target}  (rule {report.rule}, seed {report.seed}, "
           f"profile {report.profile})"]
    if report.variant:
        out.append(f"  variant: {report.variant}")
    if report.hyperparameters:
        out.append("  hyperparameters in effect:")
        for k, v in report.hyperparameters.items():
            seen = report.defaults.get(k, {}).get("sources")
            also = f"; as {', '.join(seen)}" if seen else ""
            out.append(f"    {k} = {v['value']!r}, {v['how']}{also}")
    for w in report.warnings:
        out.append(f"  note: {w}")
    for f in report.findings:
        first, *rest = f.message.splitlines() or [""]
        out.append(f"  {_MARK[f.status]}  {f.property} [{f.kind}]: {first}")
        for line in rest:
            out.append(f"        {line}")
        if f.status == "fail" and f.repro:
            out.append("        reproduce:")
            out += [f"          {line}" for line in f.repro.splitlines()]
    if report.output:
        o = report.output
        out.append(f"  output of the target: {o['stdout_bytes']} bytes on stdout, "
                   f"{o['stderr_bytes']} on stderr (trimmed, never read as a result)")
        text = (o["stdout"] + o["stderr"]).strip()
        if text:
            shown = text if verbose else "\n".join(text.splitlines()[:6])
            out += [f"    | {line[:200]}" for line in shown.splitlines()]
    out.append(f"verdict: {report.verdict.upper()}  ({report.elapsed:.1f} s; "
               f"rerun with --seed {report.seed})")
    return "\n".join(out)


def write_json(report: Report, path: str) -> None:
    Path(path).write_text(json.dumps(report.to_json(), indent=2, default=_default) + "\n")


def _default(o):
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)
