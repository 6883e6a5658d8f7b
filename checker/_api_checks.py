"""What only one API can get wrong, and a setting the code never reads.

CS231n's functions keep their state in ``config``: it must be stored back, and a
call without config must neither crash nor share state with the next parameter;
the function's own defaults are inferred from such a call.  For every API, a
numeric failure is checked for a passed setting that the numbers ignore.
"""

from __future__ import annotations

import numpy as np

from ._explain import _defaults, _failure_finding
from ._findings import Finding
from ._judge import _fit, explains_all, in_scope, used_hypers
from ._properties import first_steps_equal
from ._session import Failure, Trajectory

# CS231n: the config keys that carry each rule's state from one call to the next
CS231N_STATE = {"momentum": ("velocity",), "nesterov": ("v",), "rmsprop": ("cache",),
                "adagrad": ("cache",), "adam": ("m", "v", "t")}


def _ignored_hyper(fam, api, adapter, known, traj, grads, seen=(), rerun=None):
    """A setting the code never reads: the numbers match with that one hyperparameter
    hard-coded instead (``config.get('mu', 0.9)`` for ``'momentum'``, a literal epsilon),
    on ``traj`` and on every other run in ``seen``; and, given ``rerun`` (values ->
    the same problem run again, or None), the numbers do not move when that setting
    does (lr * momentum in effect is read, not ignored)."""
    for rule in in_scope(fam.name, api):
        used = used_hypers(rule)
        for name in adapter.passed:
            if name not in used or name not in known:
                continue
            others = {k: v for k, v in known.items() if k != name}
            m = _fit(rule, others, [*adapter.hard_coded, name], traj, grads)
            value = m.inferred.get(name)
            if m.ok and value is not None and value != known[name] \
                    and explains_all(list(seen), rule, m.hypers, fixed=(name,)) \
                    and _unmoved(rerun, known, name, traj):
                b = adapter.bindings[name]
                where = f"config[{b.param!r}]" if api == "cs231n" else f"the argument {b.param}"
                return (f"{where} = {known[name]:g} is ignored: the numbers match {rule.name} "
                        f"with {name} = {value:g}, hard-coded (is it read under another name?)", m)
    return None


def _unmoved(rerun, known: dict, name: str, traj) -> bool:
    """Whether the numbers stay where they were when ``name`` is passed another value."""
    if rerun is None:
        return True
    other = dict(known, **{name: known[name] * 0.5 if known[name] else 0.5})
    again = rerun(other)
    if again is None:
        return False
    return all(np.array_equal(np.asarray(a[k]), np.asarray(b[k]), equal_nan=True)
               for a, b in zip(traj.got, again.got) for k in a)


def _api_experiments(report, ctx, fam, api, probe, known, ext, adapter) -> None:
    """What only one API can get wrong: CS231n's config must carry the state from
    call to call, and a call without config must not share it between parameters."""
    if api != "cs231n":
        return
    session, kwargs = ctx.session, ctx.kwargs(known)
    wanted = CS231N_STATE.get(fam.name, ())
    if wanted:
        try:
            inst = session.construct(kwargs)
            session.run(kwargs, probe.params, probe.grads[:2], inst=inst)
            held = session.get_attr(inst, "config_keys")
        except Failure as f:
            _failure_finding(f, ext, "config carries the state", report)
            held = None
        if isinstance(held, dict):
            missing = sorted({k for keys in held.values() if isinstance(keys, (list, tuple))
                              for k in wanted if k not in keys})
            if missing:
                report.add(Finding("state", "fail", "config carries the state",
                                   f"config[{missing[0]!r}] is not stored back: the next call "
                                   "starts from scratch again; end with config"
                                   f"[{missing[0]!r}] = ... before returning config"))
            else:
                report.add(Finding("state", "pass", "config carries the state",
                                   f"config keeps {', '.join(wanted)} between calls"))
    # two parameters of one shape, each called first without config, as a user would
    w = np.asarray(probe.params["W"])
    params = {"P": w, "Q": w[::-1].copy()}
    grads = [{"P": g["W"], "Q": -g["W"][::-1].copy()} for g in probe.grads]
    try:
        with session.spawn() as fresh:
            both = fresh.run({"__first__": "omitted"}, params, grads)
        with session.spawn() as fresh:
            alone = fresh.run({"__first__": "omitted"}, {"Q": params["Q"]}, [{"Q": g["Q"]} for g in grads])
    except Failure as f:
        _failure_finding(f, ext, "called without config", report)
        return
    ok, where = first_steps_equal(both, alone, ["Q"], len(grads))
    _function_defaults(report, fam, api, adapter, both, grads)
    report.add(Finding("state", "pass" if ok else "fail", "called without config",
                       "each parameter starts fresh" if ok else
                       f"a parameter's updates depend on another parameter updated before it when "
                       f"config is omitted ({where}): state leaks through a mutable default "
                       "(config={}?); write config=None and `if config is None: config = {}`"))


def _function_defaults(report, fam, api, adapter, both, grads) -> None:
    """CS231n: the settings a function uses when called without config live in its body
    (``config.setdefault('learning_rate', 1e-2)``); infer them from the first parameter's
    run and set them beside the sources' values."""
    traj = Trajectory(got=[{"P": x["P"]} for x in both.got])
    only = [{"P": g["P"]} for g in grads]
    rules = in_scope(fam.name, api)
    for rule in rules:
        m = _fit(rule, {}, list(adapter.passed), traj, only, max_unknowns=4)
        if m.ok:
            said = ", ".join(f"{adapter.bindings[k].param} = {v:g}" for k, v in m.inferred.items())
            report.add(Finding("defaults", "pass", "defaults without config",
                               f"called without config it runs as {rule.name}"
                               + (f" with {said}" if said else "")))
            _defaults(report, fam, adapter, m, rules, how="function's default")
            return
    report.add(Finding("defaults", "warn", "defaults without config",
                       "called without config, its numbers match no variant with constants the "
                       "sources use; its defaults could not be inferred"))
