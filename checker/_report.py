"""The report as a person reads it in a terminal, and the reproduction snippets."""

from __future__ import annotations

import json
import os
import tempfile
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
    if str(parsed.path) == "<notebook>":  # check(Adam) in a notebook: the class is there
        return [f"# {name}: the class as your notebook defines it (run this in the notebook)"]
    if parsed.kind == "module":
        return [f"from {parsed.module} import {name}"]
    if parsed.kind == "file":
        folder = str(Path(parsed.path).resolve().parent)
        return ["import sys", f"sys.path.insert(0, {folder!r})",
                f"from {Path(parsed.path).stem} import {name}"]
    return ["from checker import load_class  # the class exactly as the checker extracted it",
            f"{name} = load_class({parsed.spec!r})"]


def repro_snippet(parsed, adapter, hypers, problem, mm, rule) -> str:
    """Python that reproduces a numeric failure: the inputs up to its step, and both
    numbers, calling the target through its own API."""
    api = getattr(adapter, "api", "book")
    kwargs = adapter.kwargs({k: hypers[k] for k in (*adapter.passed, *adapter.pinned)
                             if k in hypers})
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    index = "".join(f"[{i}]" for i in mm.index)
    name, key = parsed.class_name, mm.key
    setup = {"optax": ["import jax", "jax.config.update('jax_enable_x64', True)  # as the worker",
                       "import optax"],
             "keras": ["import os", "os.environ.setdefault('KERAS_BACKEND', 'jax')  # as the worker",
                       "os.environ.setdefault('JAX_ENABLE_X64', '1')", "import keras"]}
    lines = ["import numpy as np", *setup.get(api, ()), *_load_lines(parsed), "", "params = {"]
    lines += [f"    {k!r}: {_array_literal(v)}," for k, v in problem.params.items()]
    lines += ["}", "grads = ["]
    for g in problem.grads[:mm.step]:
        lines.append("    {" + ", ".join(f"{k!r}: {_array_literal(v)}" for k, v in g.items()) + "},")
    lines.append("]")
    value = f"np.asarray(params[{key!r}]){index}"
    if api == "cs231n":
        lines += [f"configs = {{k: dict({args}) for k in params}}", "for g in grads:",
                  f"    before = float({value})", "    for k in params:",
                  f"        params[k], configs[k] = {name}(params[k], g[k], configs[k])"]
    elif api == "booklist":
        value = f"np.asarray(plist[{list(problem.params).index(key)}]){index}"
        lines += [f"opt = {name}({args})", "keys = list(params)",
                  "plist = [params[k] for k in keys]", "for g in grads:",
                  f"    before = float({value})", "    opt.update(plist, [g[k] for k in keys])"]
    elif api == "torch":
        value = f"tensors[{key!r}].detach().numpy(){index}"
        lines += ["import torch", "tensors = {k: torch.tensor(v, requires_grad=True) "
                  "for k, v in params.items()}",
                  f"opt = {name}(list(tensors.values()){', ' + args if args else ''})",
                  "for g in grads:", f"    before = float({value})",
                  "    for k, t in tensors.items():", "        t.grad = torch.tensor(g[k])",
                  "    opt.step()"]
    elif api == "optax":
        value = f"np.asarray(p[{key!r}]){index}"
        lines += [f"opt = {name}({args})", "p = {k: jax.numpy.asarray(v) for k, v in params.items()}",
                  "state = opt.init(p)", "for g in grads:", f"    before = float({value})",
                  "    g = {k: jax.numpy.asarray(v) for k, v in g.items()}",
                  "    updates, state = opt.update(g, state, p)",
                  "    p = optax.apply_updates(p, updates)"]
    elif api == "keras":
        value = f"np.asarray(variables[{key!r}].value){index}"
        lines += ["keras.config.set_floatx(next(iter(params.values())).dtype.name)",
                  "variables = {k: keras.Variable(v, dtype=v.dtype.name) for k, v in params.items()}",
                  f"opt = {name}({args})", "for g in grads:", f"    before = float({value})",
                  "    opt.apply_gradients([(g[k], v) for k, v in variables.items()])"]
    else:
        lines += [f"opt = {name}({args})", "for g in grads:", f"    before = float({value})",
                  "    opt.update(params, g)"]
    label = f"update of params[{key!r}]{index} at step {mm.step}:"
    lines += [f"print({label!r}, float({value}) - before)",
              f"print({'expected (' + rule.name + '):'!r}, {mm.expected!r})"]
    return "\n".join(lines)


def header(report: Report) -> str:
    """The first line of every report: what was checked, and how to rerun it exactly."""
    return (f"checker: {report.target}  (rule {report.rule}, seed {report.seed}, "
            f"profile {report.profile})")


def finding_lines(f) -> list[str]:
    """One finding as the report shows it: a status line, its details, its reproduction."""
    first, *rest = f.message.splitlines() or [""]
    out = [f"  {_MARK[f.status]}  {f.property} [{f.kind}]: {first}"]
    out += [f"        {line}" for line in rest]
    if f.status == "fail" and f.repro:
        out.append("        reproduce:")
        out += [f"          {line}" for line in f.repro.splitlines()]
    return out


def hyperparameter_rows(report: Report) -> list[tuple[str, str, str]]:
    """Each hyperparameter in effect: its name, its value's repr, and how it was found
    (with the sources that use the same value): the terminal and the HTML report's rows."""
    rows = []
    for k, v in report.hyperparameters.items():
        seen = report.defaults.get(k, {}).get("sources")
        also = f"; as {', '.join(seen)}" if seen else ""
        rows.append((k, repr(v["value"]), v["how"] + also))
    return rows


def render(report: Report, verbose: bool = False) -> str:
    """The terminal report: a header, a line per property, details of each failure."""
    out = [header(report)]
    if report.sandbox:
        out.append(f"  sandbox: {report.sandbox}")
    if report.variant:
        out.append(f"  variant: {report.variant}")
    if report.hyperparameters:
        out.append("  hyperparameters in effect:")
        out += [f"    {k} = {value}, {how}" for k, value, how in hyperparameter_rows(report)]
    for w in report.warnings:
        out.append(f"  note: {w}")
    for f in report.findings:
        out += finding_lines(f)
    if report.trace:
        out += trace_lines(report.trace)
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


def trace_lines(t: dict) -> list[str]:
    """The symbolic trace (`checker._trace`) as the terminal report shows it."""
    out = [f"  trace: {t.get('message', '')}"]
    d = t.get("difference")
    if d:
        where = ""
        if d.get("where") or d.get("line"):
            where = f" ({d.get('where') or 'line ' + str(d['line'])}" + \
                (f": `{d['code']}`" if d.get("code") else "") + ")"
        out.append(f"    {d['term']} at step {d['step']}{where}:")
        out.append(f"      yours: {d['yours']}")
        out.append(f"      spec:  {d['spec']}")
    f = t.get("formulas")
    if f:
        out.append(f"    the update at step {f['step']}, in the spec's names:")
        out.append(f"      yours: W <- {f['yours']}")
        out.append(f"      spec:  W <- {f['spec']}")
    s = t.get("stopped")
    if s and (s.get("line") or s.get("code")):
        where = s.get("where") or (f"line {s['line']}" if s.get("line") else "")
        out.append(f"    stopped at {where}" + (f": `{s['code']}`" if s.get("code") else ""))
    if t.get("assumptions"):
        out.append("    assuming " + "; ".join(t["assumptions"]))
    return out


def write_json(report: Report | None, path: str, data: dict | None = None) -> None:
    """Atomically: a temporary file beside ``path``, then a rename, so a reader sees the whole
    report (or ``data``, another view of it) or none (the workers are all gone by then:
    nothing of the target can touch it)."""
    text = json.dumps(report.to_json() if data is None else data, indent=2,
                      default=_default) + "\n"
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".json", dir=folder)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _default(o):
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)
