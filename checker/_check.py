"""One check of one target, from loading to verdict.

Diagnosis before numbers: a target that cannot load or crashes is explained
(file, line, the mistake) before any number is compared.  Then a designed
probe fingerprints the variant and infers hard-coded constants, Hypothesis
searches for disagreement, and the experiments check the contracts.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

import spec

from . import _extract
from ._adapter import TORCH_FORMS, Adapter, bind, infer_rule, lr_attribute
from ._api_checks import _api_experiments, _ignored_hyper
from ._diagnose import static_warnings
from ._explain import _defaults, _failure_finding, _freezes, _valid
from ._errors import UsageError
from ._findings import Finding, Report
from ._objects import caller_folder, from_object
from ._judge import (Match, Seen, check_against, closest, explains_all, fingerprint, in_scope,
                     name_mistake, rank, used_hypers)
from ._floats import float_parameters
from ._properties import (PROFILES, Context, agreement, deterministic, describe_problem,
                          Unsteady, instance_isolation, key_isolation, lr_change)
from ._report import repro_snippet
from ._session import Failure, Loader, Session
from ._source import rebinding, unimplemented
from ._strategies import designed_probe

__all__ = ["check", "assert_conforms", "APIS"]

#: the extra to install for a framework a target needs, by the module found missing
_EXTRAS = {"jax": "jax", "jaxlib": "jax", "optax": "jax", "keras": "keras"}


APIS = ("book", "booklist", "cs231n", "torch", "optax", "keras")
_WHAT = {"optax": "the optax transformation (init, update, optax.apply_updates)",
         "keras": "the Keras 3 optimizer (keras.Variable, apply_gradients)",
         "book": "the class (book API: update(params, grads) with dicts)",
         "booklist": "the class (list API of Deep Learning from Scratch 2: params[i])",
         "cs231n": "the function (CS231n API: next_w, config = fn(w, dw, config))",
         "torch": "the torch.optim optimizer (tensors, .grad, step())"}


def _loader(target: _extract.Target, extract_py: bool, api: str | None = None
            ) -> tuple[Loader, _extract.Extracted | None]:
    if target.kind == "module":
        return Loader("module", target.class_name, module=target.module, api=api), None
    if target.kind == "file" and not extract_py:
        ext = _extract.read_py(target)
        return Loader("file", target.class_name, path=str(target.path), api=api), ext
    ext = _extract.extract(target, extract_py=extract_py)
    return Loader("source", target.class_name, source=ext.source,
                  filename=ext.filename or str(target.path), api=api,
                  home=str(Path(target.path).resolve().parent)), ext


def check(target: Any, *, rule: str | None = None, variant: str | None = None,
          api: str | None = None, profile: str = "default", seed: int | None = None, max_examples: int | None = None,
          extract_py: bool = False, timeout: float = 5.0, load_timeout: float = 20.0,
          memory_mb: int = 2048,
          total_timeout: float = 300.0, progress: Callable[[str], None] | None = None,
          sandbox: bool = True, root: str | os.PathLike | None = None,
          plots: bool | None = None, trace: bool = False) -> Report:
    """Judge an optimizer: ``target`` is a name as ``python -m checker`` takes it
    (``"mylib.optim.Adam"``, ``"optim.py:Adam"``, ``"notes.ipynb:Adam"``) or the class or
    function itself (``check(Adam)``, defined in a module, a test file or a notebook).

    A relative file path is taken from ``root``, by default the folder of the file that
    calls `check` (the current folder in an interactive session), so that a test finds
    its target wherever pytest is started.  Raises `UsageError` for misuse.

    ``plots`` also computes the data of the HTML report's plots (`Report.to_html`): the
    target's path on the book's chapter 6 function beside the oracle's, and a numeric
    failure's error per step (about a second more).  By default it is on only inside a
    Jupyter kernel, where the report displays as that HTML; ``--html`` turns it on.

    ``timeout``: seconds each call of the target may take; ``load_timeout``: seconds its
    module may take to import (a module that trains on import hangs there: see
    ``extract_py``).

    ``trace``: also run the symbolic trace on a passing target (`checker._trace`: the
    formula the code computes, proven equal to the variant where SymPy can); a target
    whose numbers are wrong is always traced, to say which term is.
    """
    started = time.monotonic()
    progress = progress or (lambda message: None)
    if api is not None and api not in APIS:
        raise UsageError(f"unknown api {api!r}; choose one of {', '.join(APIS)}")
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    resolved = None
    if isinstance(target, str):
        parsed = _extract.parse_target(target, root=caller_folder() if root is None else root)
    elif isinstance(target, os.PathLike):
        raise UsageError(f"check() takes 'path/to/file.py:ClassName', not a path alone "
                         f"({os.fspath(target)!r}); add ':' and the class name")
    else:
        resolved = from_object(target)
        parsed, target = resolved.target, resolved.display
    if variant is not None and "/" in variant:  # the form a report prints: adam/algorithm1
        named, variant = (part.strip().lower() for part in variant.split("/", 1))
        if rule and rule.lower() != named:
            raise UsageError(f"--variant {named}/{variant} is a variant of {named}, not of "
                             f"--rule {rule}; pass one of them, or both for the same rule")
        rule = named
    family = rule.lower() if rule else infer_rule(parsed.class_name)
    if family is None:
        raise UsageError(f"cannot tell the rule from the name {parsed.class_name!r}; "
                         f"pass --rule with one of {', '.join(f.name for f in spec.families())}")
    try:
        fam = spec.family(family)
        if variant is not None:
            fam.rule(variant)
    except spec.UnknownRule as e:
        raise UsageError(str(e)) from None
    seed = random.randrange(2**32) if seed is None else seed
    report = Report(target=target, rule=family, seed=seed, profile=profile)
    report.rerun = _rerun(report, parsed, variant, api, max_examples,
                          extract_py or (resolved is not None and resolved.ext is not None))
    if resolved is None:
        loader, ext = _loader(parsed, extract_py, api)
    elif resolved.ext is not None:
        ext = resolved.ext
        loader = Loader("source", parsed.class_name, source=ext.source,
                        filename=ext.filename or str(parsed.path), api=api, home=resolved.home)
    else:
        loader, ext = Loader("module", parsed.class_name, module=resolved.module, api=api,
                             root=resolved.root), None
    if ext is not None:
        report.warnings += ext.warnings
        for d in static_warnings(ext):
            report.add(Finding("static", "warn", "source", d.describe(),
                               {"line": d.line, "hint_kind": d.hint_kind}))
    session = Session(loader, timeout=timeout, memory_mb=memory_mb, total_timeout=total_timeout,
                      load_timeout=load_timeout, sandbox=sandbox)
    if _in_jupyter() if plots is None else plots:
        report._plot_basis = {}  # what _run learns that the plots need (see _note_basis)
    try:
        with _hypothesis_storage_elsewhere():
            _run(report, session, parsed, ext, fam, variant, seed,
                 max_examples or PROFILES[profile], progress, started + total_timeout - 5)
        if hasattr(report, "_plot_basis"):
            from ._paths import collect
            progress("computing the plots: the path on the book's f, and the errors")
            try:
                report.plots = collect(report, session, report.__dict__.pop("_plot_basis"))
            except Exception as e:  # noqa: BLE001 - a picture never costs the verdict
                report.plots = {"path": None, "error": None,
                                "why": f"no plots: {type(e).__name__}: {e}"}
        basis = report.__dict__.pop("_trace_basis", None)
        if basis is not None and (trace or _wrong_numbers(report)):
            progress("tracing the update symbolically")
            report.trace = _symbolic_trace(report, session, basis, report.api, ext)
    finally:
        out, err, (n_out, n_err) = session.output()
        session.close()
        if n_out or n_err:
            report.output = {"stdout": out, "stderr": err, "stdout_bytes": n_out, "stderr_bytes": n_err}
        report.elapsed = time.monotonic() - started
        report.sandbox = _contained(session.sandboxes, sandbox)
        report.warnings += [n for n in session.notes if n not in report.warnings]  # cold starts
    return report


def _wrong_numbers(report: Report) -> bool:
    return any(f.status == "fail" and f.kind in ("numeric", "nonfinite") for f in report.findings)


def _symbolic_trace(report: Report, session, basis: dict, api: str | None, ext) -> dict:
    """The trace's findings as JSON; a failure of the tracer itself costs the trace, never
    the verdict (the numbers decide pass or fail)."""
    from ._trace import source_lines, trace
    # as many steps as the failing run needed to go wrong (a schedule after 10 calls)
    steps = max([f.details.get("step") or 0 for f in report.findings
                 if f.status == "fail" and f.kind in ("numeric", "nonfinite")
                 and isinstance(f.details.get("step"), int)] or [0])
    try:
        shared = any(f.status == "fail" and f.property == "state isolated between instances"
                     for f in report.findings)
        out = trace(session, basis["rule"], basis["adapter"], basis["hypers"], api or "book",
                    source_lines(ext), steps=steps, warmup=shared,
                    alternatives=basis.get("alternatives", ())).to_json()
    except Exception as e:  # noqa: BLE001 - said in the report, never a traceback
        return {"status": "stopped", "variant": basis["rule"].name, "proven": False,
                "message": f"not traced: the tracer failed ({type(e).__name__}: {e}); "
                           "the numeric verdict stands"}
    if out["status"] in ("proven", "agrees") and _wrong_numbers(report):
        out["message"] += ("; so the formula is right and the numbers go wrong elsewhere: in a "
                           "dtype the code converts to (an astype, a float32 or float16 state), "
                           f"or beyond what the trace ran ({out['steps']} steps of one instance, "
                           "parameters of shapes (2,) and ())")
    return out


def _in_jupyter() -> bool:
    """Whether this process is a Jupyter kernel (IPython's shell there has a kernel): the
    report displays as HTML with plots there, so `check` computes them by default."""
    import sys
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    import importlib.util
    return importlib.util.find_spec("matplotlib") is not None  # else the text is shown


def _note_basis(report: Report, **what) -> None:
    """Keep for the plots what the check learnt (first value wins), if plots were asked."""
    basis = getattr(report, "_plot_basis", None)
    if basis is not None:
        for k, v in what.items():
            basis.setdefault(k, v)


def _rerun(report: Report, parsed, variant, api, max_examples, extracted: bool) -> str:
    """The command line that runs this check again exactly (the same problems)."""
    if str(parsed.path) == "<notebook>":
        return (f"check({parsed.class_name}, rule={report.rule!r}, seed={report.seed}, "
                f"profile={report.profile!r}) in the notebook")
    words = ["python -m checker", report.target, "--rule", report.rule, "--seed", str(report.seed),
             "--profile", report.profile]
    words += ["--variant", variant] if variant else []
    words += ["--api", api] if api else []
    words += ["--max-examples", str(max_examples)] if max_examples else []
    words += ["--extract"] if extracted and parsed.kind == "file" else []
    return " ".join(words)


def assert_conforms(target: Any, **options) -> Report:
    """`check` the target and raise `AssertionError` unless it passes; the message is the
    whole terminal report (pytest shows it as is).  Returns the passing report, whose
    warnings (a non-canonical variant, a default no source uses) are worth a look."""
    __tracebackhide__ = True  # pytest: the failure is the report, not this frame
    report = check(target, **options)
    if report.verdict != "pass":
        raise AssertionError(str(report))
    return report


def _contained(said: list[str], wanted: bool) -> str:
    """How the target was contained: the weakest of what its workers said."""
    if not wanted:
        return "off (--no-sandbox)"
    weakest = [s for s in said if not s.startswith("namespaces")]
    return (weakest or said or ["none: no worker started"])[0]


@contextlib.contextmanager
def _hypothesis_storage_elsewhere():
    """Hypothesis keeps its storage (the constants it reads from source files, even with
    no example database) in ./.hypothesis, which would be the user's folder: for the
    check, point it at the checker's own folder in the system's temporary folder (a
    cache later checks reuse, so none piles up; a fresh folder, removed afterwards,
    where that one is not ours), then restore it."""
    from hypothesis import configuration
    before = configuration.storage_directory(intent_to_write=False).home_directory
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = os.path.join(tempfile.gettempdir(), f"optimizer-checker-hypothesis-{uid}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        ours = not os.path.islink(folder) and (uid is None or os.stat(folder).st_uid == uid)
    except OSError:
        ours = False
    if not ours:
        folder = tempfile.mkdtemp(prefix="checker-hypothesis-")
    configuration.set_hypothesis_home_dir(folder)
    try:
        yield
    finally:
        configuration.set_hypothesis_home_dir(before)
        if not ours:
            shutil.rmtree(folder, ignore_errors=True)


def _usage_from_load(f: Failure, parsed: _extract.Target) -> None:
    """A module or class that does not exist is misuse of the command line, not a failure."""
    error = f.worker.error if f.worker is not None else None
    if error is None or f.kind != "load":
        return
    if error.type_name == "ModuleNotFoundError":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        extra = _EXTRAS.get(missing.split(".")[0])
        if extra is not None:
            raise UsageError(f"{parsed.spec!r} needs {missing}, which is not installed; "
                             f"pip install -e '.[{extra}]'")
    if parsed.kind == "module" and error.type_name == "ModuleNotFoundError":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        if missing and (parsed.module == missing or parsed.module.startswith(missing + ".")):
            raise UsageError(f"no module named {missing!r} (in TARGET {parsed.spec!r}); "
                             f"check the name, or run from the folder that holds it")
    if error.type_name == "NoSuchClass":
        raise UsageError(f"{error.message}; check the class name in TARGET {parsed.spec!r}")
    if error.type_name == "NotAClass":
        raise UsageError(f"{error.message} (TARGET {parsed.spec!r}); name the optimizer's class")


def _usage_from_api(f: Failure) -> None:
    """``--api`` naming a shape the target cannot have (torch for a plain class) is misuse."""
    error = f.worker.error if f.worker is not None else None
    if error is not None and error.type_name == "ApiMismatch":
        raise UsageError(error.message)


def _precompile(rules):
    """The spec's code a check of these rules compiles on first use (kernels and error
    bounds of each flag combination), compiled here one combination a step: run by
    `Template.wait_doing` while the template imports torch, it is done by the time the
    problems need it.  What it compiles is what the oracle's own caches would hold."""
    import itertools

    for rule in rules:
        flags = [h.name for h in rule.hypers if h.flag]
        typical = {h.name: (h.typical[0] + h.typical[1]) / 2 for h in rule.hypers
                   if not h.flag and h.typical[1] > h.typical[0]}
        for values in (dict(rule.defaults, **typical), dict(rule.defaults)):
            for combo in itertools.product((0.0, 1.0), repeat=len(flags)):
                hypers = dict(values, **dict(zip(flags, combo)))
                if rule.admits(hypers) is not None:
                    continue
                try:
                    spec.Oracle(rule).run({"w": np.array([0.5, 0.0])},
                                          [{"w": np.array([0.1, 0.0])}] * 2, hypers,
                                          bounds=True)
                except Exception:  # noqa: BLE001 - a warm-up only: the check will say
                    pass
                yield


def _run(report, session, parsed, ext, fam, variant, seed, max_examples, progress, deadline):
    template = session.template
    if template is not None and "torch" in session.loader.frameworks():
        # about a second of torch's import to wait for: compile meanwhile what the check
        # of torch's own variants will need
        template.wait_doing(_precompile(in_scope(fam.name, "torch")), session.load_timeout)
    # -- load, signature, construct --------------------------------------------
    try:
        params = session.signature()
        api = session.api()
    except Failure as f:
        _usage_from_load(f, parsed)
        _usage_from_api(f)
        _failure_finding(f, ext, "load", report)
        return
    report.api = api
    rules = in_scope(fam.name, api)
    form = TORCH_FORMS.get(fam.name) if api == "torch" and not rules else None
    if form is not None:  # torch.optim.SGD is PyTorch's momentum and Nesterov
        fam, rules = spec.family(form.family), in_scope(form.family, api)
        report.rule = fam.name
        report.warnings.append(form.note)
    if not rules:
        raise UsageError(f"the rule {fam.name} has no variant for the {api} API "
                         f"({_WHAT[api]}); pass --rule or --api")
    if variant is not None and not any(r.variant == variant for r in rules):
        raise UsageError(f"--variant {variant} is not a variant for the {api} API; choose one of "
                         + ", ".join(r.variant for r in rules))
    canonical = rules[0]
    report.add(Finding("load", "pass", "load", f"{_WHAT[api]} loads in an isolated worker"))
    adapter = bind(canonical, [{"name": p.name, "kind": p.kind,
                                    "default": p.default if p.has_default else None}
                                   for p in params])
    adapter.api = api
    if form is not None:
        adapter.pinned = dict(form.pinned)
    defaults = adapter.constructor_defaults()
    known = dict(adapter.pinned)
    for name in adapter.passed:
        d = defaults.get(name)
        if d is not None and not _valid(canonical, name, d):
            h = canonical.hyper(name)
            report.add(Finding("defaults", "fail", "defaults",
                               f"the constructor's default {name} = {d!r} is outside {h.domain}; "
                               f"a default must be usable: {h.doc}, e.g. {h.default:g}",
                               {"name": name, "value": d}))
        known[name] = d if _usable(canonical, name, d) else canonical.defaults[name]
    for name, value in (form.positive.items() if form is not None else ()):
        if known.get(name, canonical.defaults[name]) == 0:
            known[name] = value
    kwargs_of = lambda values: adapter.kwargs(values)  # noqa: E731
    _note_basis(report, adapter=adapter, known=known)
    try:
        # first as a user would: no arguments at all, the class's own defaults
        session.construct({})
    except Failure as f:
        _usage_from_api(f)
        required = [p.name for p in params if not p.has_default
                    and p.kind not in ("VAR_POSITIONAL", "VAR_KEYWORD")]
        if not required:  # it could have been built without arguments, and was not
            finding = _failure_finding(f, ext, "construct with the defaults", report)
            if f.kind == "crash" and api in ("book", "booklist"):
                finding.message += (
                    f"\n  hint: {parsed.class_name}() with its own defaults must build an "
                    "optimizer; give each argument a usable default (lr=0.01), or none, so "
                    "that leaving it out is an error of the caller's")
            return
    try:
        inst = session.construct(kwargs_of(known))
        attrs = session.describe(inst)
    except Failure as f:
        _failure_finding(f, ext, "construct", report)
        return
    if "update" not in attrs and not _has_update(session, inst):
        report.add(Finding("api", "fail", "interface",
                           f"{parsed.class_name} has no method update(params, grads); "
                           "define update(self, params, grads) that changes params in place"))
        return

    # -- the designed probe: fingerprint and constants ------------------------------
    progress("fingerprinting the variant on a designed probe")
    probe = designed_probe(canonical, known)
    try:
        traj = session.run(kwargs_of(known), probe.params, probe.grads)
    except Failure as f:
        if f.value == "none":  # CS231n's starter, `next_w = None`, as it was handed out
            line = unimplemented(ext, parsed.class_name, api)
            f.message += f" (line {line.line}: `{line.text}`)" if line and line.line else ""
        _failure_finding(f, ext, "first updates", report)
        return
    # standing still is right only where the rule says so (the probe never passes lr = 0:
    # `_usable`; a guard for whatever else could freeze a rule)
    moves = lambda: check_against(canonical, dict(canonical.defaults, **known),  # noqa: E731
                                  traj, probe.grads) is not None
    canonical_basis = {"rule": canonical, "adapter": adapter,
                       "hypers": dict(canonical.defaults, **known)}
    if _nothing_moved(report, traj, ext, parsed.class_name, api, moves):
        report._trace_basis = canonical_basis
        return
    # every run an explanation must hold on: the probe, the lr change, each failing problem
    passed = {k: known[k] for k in adapter.passed if k in known}
    seen = [Seen(traj, probe.grads, passed, None, "the probe")]
    matches = fingerprint(fam.name, known, adapter.hard_coded, traj, probe.grads, api=api,
                          solve=False)
    if not any(m.ok for m in matches):
        # before solving for constants the rule does not have: another family's numbers?
        other = _other_family(fam, api, params, kwargs_of(known), traj, probe)
        # a class named for the rule, or taking settings only the rule has (momentum's mu),
        # was meant as that rule: a mistake of it comes first (momentum whose velocity is
        # never accumulated gives SGD's numbers, and the mistake is what to tell)
        meant = other is not None and (infer_rule(parsed.class_name) == fam.name
                                       or set(adapter.passed) - set(other[0].passed))
        if other is not None and not (meant and name_mistake(
                fam.name, known, adapter.hard_coded, traj, probe.grads, api=api, solves=(False,))):
            _wrong_family(report, fam, other, variant)
            report._trace_basis = canonical_basis  # what the code computes against what was meant
            return
        matches = fingerprint(fam.name, known, adapter.hard_coded, traj, probe.grads, api=api)
    candidates = rank([m for m in matches if m.ok])
    if variant is not None and not any(m.rule.variant == variant for m in candidates):
        instead = ", ".join(m.rule.name for m in candidates) or "no recognised variant"
        m = next(m for m in matches if m.rule.variant == variant)
        report.add(Finding("numeric", "fail", "variant",
                           f"--variant {fam.name}/{variant} demanded, but the implementation "
                           f"matches {instead}"
                           + (f"; against {m.rule.name}: {m.mismatch.describe()}" if m.mismatch else ""),
                           {"demanded": variant, "matched": [c.rule.name for c in candidates]}))
        report._trace_basis = {"rule": m.rule, "adapter": adapter,
                               "hypers": dict(m.hypers or canonical_basis["hypers"])}
        return
    if variant is not None:
        candidates = [m for m in candidates if m.rule.variant == variant]
    if not candidates:
        progress("looking for a known mistake that explains the numbers")
        best = closest(matches)
        report.variant = None
        report.hyperparameters = _hyper_report(adapter, best)
        _numeric_failure(report, parsed, adapter, fam, known, probe, traj, best,
                         examples_to_failure=0, api=api, seen=seen,
                         rerun=_rerun_with(session, kwargs_of, probe))
        _contracts_only(report, session, fam, adapter, known, kwargs_of, seed, max_examples,
                        deadline, progress, ext, matches, api)
        return

    # -- lr change separates conventions ---------------------------------------------
    lr_attr = lr_attribute(adapter)
    if lr_attr is not None and isinstance(attrs.get(lr_attr), str) and attrs[lr_attr] in ("float", "int"):
        try:
            results, lr_traj, schedule = lr_change(
                Context(session, fam.name, kwargs_of, adapter.passed, candidates, seed,
                        max_examples, deadline, progress), probe, lr_attr, candidates)
            seen.append(Seen(lr_traj, probe.grads, passed, schedule, "the lr change"))
        except Failure as f:
            _failure_finding(f, ext, "lr change", report)
            return
        following = [r for r in results if r.ok]
        # a learning rate read once, at construction: right for a fixed lr, and a schedule
        # that sets the attribute would do nothing; worth saying, not a wrong number
        fixed = [schedule[0]] * len(schedule)
        frozen = [c for c in candidates if not following
                  and check_against(c.rule, c.hypers, lr_traj, probe.grads, fixed) is None]
        if following:
            report.add(Finding("numeric", "pass", "lr change",
                               f"a change of {lr_attr} between steps takes effect as "
                               f"{following[0].rule.name} says"))
            candidates = [c for c, r in zip(candidates, results) if r.ok]
        elif frozen:
            report.add(Finding("api", "warn", "lr change",
                               f"setting {lr_attr} between steps has no effect: the numbers "
                               f"follow {frozen[0].rule.name} with the lr it was built with "
                               f"(read once, at construction?); a schedule that sets "
                               f"optimizer.{lr_attr} would do nothing"))
        else:
            mm = closest(results).mismatch
            report.add(Finding("numeric", "fail", "lr change",
                               f"after {lr_attr} changed between steps: {mm.describe()}",
                               _mismatch_details(mm, closest(results))))
    else:
        report.add(Finding("api", "warn", "lr change",
                           "the learning rate could not be changed between steps (no numeric "
                           f"attribute {lr_attr or 'lr'}), so the lr conventions were not told apart"))

    # -- Hypothesis: agreement and the contracts seen on the way ----------------------
    ctx = Context(session, fam.name, kwargs_of, adapter.passed, candidates, seed, max_examples,
                  deadline, progress, api)
    progress(f"searching for disagreement ({max_examples} examples)")
    outcome = agreement(ctx, canonical)
    if outcome.stopped is not None:
        _failure_finding(outcome.stopped, ext, "agreement with the oracle", report)
    elif outcome.failure is not None:
        problem, results, failed = outcome.failure
        known_here = dict(known, **{k: v for k, v in problem.hypers.items() if k in adapter.passed})
        seen += [Seen(t, p.grads, {k: v for k, v in p.hypers.items() if k in adapter.passed},
                      first={r.rule.name: r.mismatch.step for r in rs if r.mismatch is not None})
                 for p, t, rs in outcome.failures]
        _numeric_failure(report, parsed, adapter, fam, known_here, problem, failed, closest(results),
                         f"; minimal example: {describe_problem(problem)}",
                         examples_to_failure=outcome.examples_to_failure, api=api, seen=seen,
                         rerun=_rerun_with(session, kwargs_of, problem))
    else:
        dts = " and ".join(sorted(outcome.observed.dtypes)) or "float64"
        report.add(Finding("numeric", "pass", "agreement with the oracle",
                           f"{outcome.examples + 1} problems (the probe and {outcome.examples} drawn), "
                           f"{dts}, updates within the floating-point bound of the variant"))
    chosen = outcome.survivors[0]
    report.variant = chosen.rule.name if outcome.failure is None and outcome.stopped is None else None
    if not hasattr(report, "_trace_basis"):
        report._trace_basis = {"rule": chosen.rule, "adapter": adapter, "hypers": dict(chosen.hypers)}
    report.hyperparameters = _hyper_report(adapter, chosen)
    if report.variant and chosen.rule is not canonical and chosen.rule.difference:
        if variant is None:
            report.add(Finding("variant", "warn", "variant",
                               f"matches {chosen.rule.name}: {chosen.rule.difference}"))
        else:  # what was demanded is no surprise
            report.add(Finding("variant", "pass", "variant",
                               f"matches {chosen.rule.name}, as --variant demanded"))
    _defaults(report, fam, adapter, chosen, rules)
    if len(outcome.survivors) > 1 and report.variant:
        report.warnings.append("also consistent with " + ", ".join(
            m.rule.name for m in outcome.survivors[1:]) + " on every input tried")
    _contract_findings(report, outcome.observed, api, ext, parsed.class_name)
    steady = _experiments(report, ctx, probe, ext)
    if api == "book" and steady and report.variant:
        # the book's chapter 6 script passes Python floats; a warning, never a failure
        float_parameters(report, ctx, probe, ext, parsed.class_name)
    _api_experiments(report, ctx, fam, api, probe, known, ext, adapter)
    _distrust_mistakes_if_instances_share_state(report)


def _distrust_mistakes_if_instances_share_state(report):
    """With state shared between instances, earlier runs leak into every later one: a
    mistake matched on the numbers would be a coincidence, so it is not claimed."""
    shared = any(f.property == "state isolated between instances" and f.status == "fail"
                 for f in report.findings)
    if not shared or report.mistake is None:
        return
    for f in report.findings:
        if f.details.get("mistake"):
            f.message = f.message.split("\n", 1)[-1] + (
                "\n(state shared between instances leaks from earlier runs into these numbers;"
                " fix that first)")
            for k in [k for k in f.details if k.startswith("mistake")]:
                del f.details[k]
    report.mistake = None


def _rerun_with(session, kwargs_of, problem):
    """The same problem again with other constructor values: None if the target fails."""
    def rerun(values):
        try:
            return session.run(kwargs_of(values), problem.params, problem.grads)
        except Failure:
            return None
    return rerun


def _numeric_failure(report, parsed, adapter, fam, known, problem, traj, best, suffix="",
                     examples_to_failure=None, api="book", seen=(), rerun=None):
    """A wrong number: where, by how much, and the known mistake that explains it if one does.

    ``examples_to_failure`` counts the drawn problems Hypothesis needed (0: the
    designed probe already failed).  An explanation (a named mistake, a setting that
    is ignored) is given only if it reproduces every run in ``seen``, not only the
    minimal example; otherwise the report says from which call the numbers leave
    the variant, and no more.
    """
    seen = list(seen)
    mm = best.mismatch
    _note_basis(report, failure=(problem, traj, best))
    details = _mismatch_details(mm, best)
    details["examples_to_failure"] = examples_to_failure
    message = f"{mm.describe()}; closest variant: {best.rule.name}{suffix}"
    named = name_mistake(fam.name, known, adapter.hard_coded, traj, problem.grads, api=api,
                         confirm=lambda rule, driver, hypers: explains_all(seen, rule, hypers, driver))
    if not hasattr(report, "_trace_basis"):  # the trace compares with what the code meant
        report._trace_basis = {"rule": named.base if named is not None else best.rule,
                               "adapter": adapter,  # the constants that reproduce the code
                               "hypers": dict(named.match.hypers if named is not None
                                              else best.hypers),
                               "alternatives": () if named is not None else
                               tuple(in_scope(fam.name, api))}
    if named is not None:
        text = named.describe(len(problem.params))
        message = f"{text}: {named.mistake.explanation}\n{message}"
        details.update(mistake=named.mistake.name, mistake_title=named.mistake.title,
                       mistake_variant=named.match.rule.name, mistake_explanation=named.mistake.explanation,
                       mistake_constants=named.match.inferred,
                       mistake_equivalent=[m.name for m in named.equivalent])
        report.mistake = {"name": named.mistake.name, "variant": named.base.name, "message": text,
                          "equivalent": [m.name for m in named.equivalent]}
        # the constants in effect are the ones that reproduce the code, mistake and all
        report.hyperparameters = _hyper_report(adapter, named.match)
    else:
        ignored = _ignored_hyper(fam, api, adapter, known, traj, problem.grads, seen, rerun)
        if ignored is not None:
            text, match = ignored
            message = f"{text}\n{message}"
            details.update(ignored=text)
            report.hyperparameters = _hyper_report(adapter, match)
        elif (known_text := _what_is_known(seen, best)) is not None:
            message = f"{known_text}\n{message}"
            details.update(leaves_at=known_text)
    kind = "dtype" if mm.kind == "shape" else mm.kind
    report.add(Finding(kind, "fail", "agreement with the oracle", message, details,
                       repro_snippet(parsed, adapter, best.hypers, problem, mm, best.rule)
                       if mm.kind != "shape" else None))


def _what_is_known(seen: list[Seen], best: Match) -> str | None:
    """When no explanation holds on every run: from which call of a fresh instance the
    numbers leave the closest variant, over every run that disagrees."""
    steps, agreeing = [], []
    for s in seen:
        if best.rule.name in s.first:  # measured when the run was made
            steps.append(s.first[best.rule.name])
            continue
        hypers = dict(best.hypers, **{k: v for k, v in s.passed.items() if k in best.hypers})
        mm = check_against(best.rule, hypers, s.traj, s.grads, s.lr_schedule)
        (agreeing.append(len(s.traj.got) - 1) if mm is None else steps.append(mm.step))
    if not steps or min(steps) <= 1:
        return None
    first = min(steps)
    text = (f"no known mistake explains every disagreement seen; what is known: in the "
            f"{len(steps)} run{'s' if len(steps) > 1 else ''} that disagree, the numbers follow "
            f"{best.rule.name} for the first {first - 1} calls of a fresh instance and leave it "
            f"from call {first} on")
    if agreeing and max(agreeing) < first:
        text += f" (the {len(agreeing)} that agree all stop before call {first}: a schedule?)"
    return text


def _contracts_only(report, session, fam, adapter, known, kwargs_of, seed, max_examples, deadline,
                    progress, ext, matches, api="book"):
    """After a numeric failure, the contracts are still worth reporting (on the probe)."""
    ctx = Context(session, fam.name, kwargs_of, adapter.passed, [closest(matches)], seed,
                  max_examples, deadline, progress, api)
    canonical = in_scope(fam.name, api)[0]
    probe = designed_probe(canonical, known)
    from ._properties import Observation, observe_contracts
    obs = Observation()
    try:
        for dtype in ("float64", "float32"):
            p = designed_probe(canonical, known)
            cast = lambda v: v.astype(dtype) if isinstance(v, np.ndarray) else v  # noqa: E731
            p.params = {k: cast(v) for k, v in p.params.items()}
            p.grads = [{k: cast(v) for k, v in g.items()} for g in p.grads]
            observe_contracts(session.run(kwargs_of(known), p.params, p.grads), p, obs, api)
    except Failure as f:
        _failure_finding(f, ext, "contracts", report)
        return
    _contract_findings(report, obs, api, ext, session.loader.class_name)
    _experiments(report, ctx, probe, ext)
    _api_experiments(report, ctx, fam, api, probe, known, ext, adapter)
    _distrust_mistakes_if_instances_share_state(report)


def _contract_findings(report, obs, api="book", ext=None, name=None):
    names = {"inplace": "in-place update", "grads-mutated": "gradients untouched",
             "dtype": "dtype and shape preserved"}
    for kind, prop in names.items():
        if kind == "inplace" and api == "cs231n":
            report.add(Finding(kind, "pass", prop, "not required: the CS231n API returns next_w"))
            continue
        if kind in obs.first:
            message, problem = obs.first[kind]
            line = rebinding(ext, name, api) if message.startswith("rebinds ") else None
            if line is not None and line.line is not None:  # the statement that does it
                message = message.replace(" (step ", f" (line {line.line}: `{line.text}`, step ", 1)
            report.add(Finding(kind, "fail", prop, f"{message} (example: {describe_problem(problem)})"))
        else:
            report.add(Finding(kind, "pass", prop, "held on every run"))


def _experiments(report, ctx, probe, ext) -> bool:
    """The designed experiments; False when the same inputs gave different results."""
    # determinism first: the isolation experiments compare runs bit for bit, which
    # says nothing about state when two identical runs already disagree
    steady = True
    for prop, fn, kind in (("deterministic", deterministic, "deterministic"),
                           ("state isolated between keys", key_isolation, "state"),
                           ("state isolated between instances", instance_isolation, "state")):
        if not steady:
            report.add(Finding(kind, "warn", prop, "not judged: the same inputs already give "
                               "different results (see deterministic)"))
            continue
        try:
            ok, message = fn(ctx, probe)
        except Failure as f:
            _failure_finding(f, ext, prop, report)
            continue
        except Unsteady as u:
            # the determinism check passed by chance; this experiment's repeat caught it
            verdict = Finding("deterministic", "fail", "deterministic", str(u))
            report.findings = [verdict if x.kind == "deterministic" else x for x in report.findings]
            report.add(Finding(kind, "warn", prop, "not judged: the same inputs already give "
                               "different results (see deterministic)"))
            steady = False
            continue
        report.add(Finding(kind, "pass" if ok else "fail", prop, message or "held"))
        steady = steady and (ok or kind != "deterministic")
    return steady


def _other_family(fam, api, params, passed: dict, traj, probe):
    """The first other family whose variant reproduces the probe exactly, with the values
    the constructor was given and the constants its sources use (nothing solved for):
    ``reference.SGD --rule adam`` is sgd/plain, not an Adam with invented constants."""
    described = [{"name": p.name, "kind": p.kind, "default": p.default if p.has_default else None}
                 for p in params]
    for other in spec.families():
        rules = in_scope(other.name, api)
        if other.name == fam.name or not rules:
            continue
        adapter = bind(rules[0], described)
        defaults = adapter.constructor_defaults()
        known = {}
        for name in adapter.passed:
            b = adapter.bindings[name]
            value = passed.get(b.param) if b.index is None else None
            known[name] = value if isinstance(value, (int, float)) else defaults.get(name)
            if not _usable(rules[0], name, known[name]):
                known[name] = rules[0].defaults[name]
        found = rank([m for m in fingerprint(other.name, known, adapter.hard_coded, traj,
                                             probe.grads, api=api, solve=False) if m.ok])
        if found:
            return adapter, found[0]
    return None


def _wrong_family(report, fam, other, variant) -> None:
    adapter, match = other
    said = ", ".join(f"{k} = {v:g}" for k, v in match.hypers.items()
                     if k in used_hypers(match.rule) and not isinstance(v, bool))
    report.variant = None
    report.hyperparameters = _hyper_report(adapter, match)
    asked = f"{fam.name}/{variant}" if variant else fam.name
    report.add(Finding("numeric", "fail", "variant",
                       f"the numbers match {match.rule.name}"
                       + (f" ({said})" if said else "")
                       + f", not {asked}: was --rule {match.rule.family} meant?",
                       {"matched": match.rule.name, "family": match.rule.family,
                        "demanded": asked}))


def _usable(rule, name, value) -> bool:
    """Whether the checker may pass the constructor's own default ``value`` of ``name``
    to the probe: inside the domain, and not one with which nothing moves (`_freezes`:
    then no variant or constant can be told from another; the default is still reported,
    and warned, as it is)."""
    return value is not None and _valid(rule, name, value) and not _freezes(name, value)


def _nothing_moved(report, traj, ext, name, api, should_move) -> bool:
    """An update that changes nothing at all, over the probe whose gradients are never all
    zero, is not implemented (a starter's ``pass``, a ``return`` left first): say so, and
    judge no numbers, which would only measure zero against every variant."""
    first = traj.got[0]
    if any(not np.array_equal(np.asarray(g[k]), np.asarray(first[k]), equal_nan=True)
           for g in traj.got[1:] for k in first) or not should_move():
        return False
    calls = len(traj.got) - 1
    what = "the function" if api == "cs231n" else "update"
    message = (f"{what} changed no parameter in {calls} calls, although every call's gradients "
               "were nonzero")
    line = unimplemented(ext, name, api)
    if line is not None:
        message += f": {what} is not implemented (line {line.line}: `{line.text}`)"
    report.add(Finding("numeric", "fail", "first updates", message,
                       {"step": 1, "line": line.line if line else None,
                        "source_line": line.text if line else None}))
    return True


def _has_update(session, inst) -> bool:
    try:
        session.call(lambda w: w.get_attr(inst, "update"), op="get_attr")
        return True
    except Failure:
        return False


def _hyper_report(adapter: Adapter, match: Match) -> dict:
    out = {}
    used = used_hypers(match.rule)
    for name, value in match.hypers.items():
        if name not in used and adapter.bindings.get(name, None) is not None \
                and adapter.bindings[name].param is None:
            continue  # hard-coded and never read (a missing epsilon): nothing to report
        b = adapter.bindings.get(name)
        if name in adapter.pinned:
            how = "pinned by --rule: torch.optim.SGD's switch for it"
        elif name in match.inferred and b is not None and b.param is not None:
            how = "hard-coded, inferred; the setting passed is ignored"
        elif b is not None and b.param is not None:
            how = (f"config[{b.param!r}]" if getattr(adapter, "api", "book") == "cs231n" else
                   f"constructor argument {b.param}" + (f"[{b.index}]" if b.index is not None else ""))
        elif name in match.inferred:
            how = "hard-coded, inferred"
        else:
            how = "hard-coded, assumed the variant's default"
        out[name] = {"value": bool(value) if name in adapter.flags else value, "how": how}
    return out


def _mismatch_details(mm, match: Match) -> dict:
    return {"step": mm.step, "key": mm.key, "index": list(mm.index), "expected_update": mm.expected,
            "got_update": mm.got, "error": mm.error, "allowed": mm.allowed, "ulps": mm.ulps,
            "allowed_ulps": mm.allowed_ulps, "dtype": mm.dtype, "closest_variant": match.rule.name}
