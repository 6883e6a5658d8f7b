"""The properties, each a Hypothesis search or a designed experiment in the worker.

The agreement property draws problems, runs them in the worker and accepts a
trajectory that matches any variant still in the running; the contract
properties (in place, gradients untouched, dtype and shape) are observed on
the same runs, so they cost no extra calls.  State isolation, determinism and
a change of learning rate are designed experiments.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from hypothesis import HealthCheck, Phase, given, seed as hseed, settings

from ._judge import Match, check_against, closest
from ._session import Failure, Session, Trajectory
from ._strategies import Problem, problems

PROFILES = {"quick": 8, "default": 60, "thorough": 300}

#: Once a problem disagrees, the search ends within this many seconds and calls, keeping
#: the smallest failing problem seen.  Left to itself Hypothesis would look for other bugs
#: for up to 10 s more and then shrink for up to five minutes, each call a run of the
#: target and the oracle (a tenth of a second on a 30-step run): a failing long run took
#: 35 s, and over 120 s on a busy machine.
SHRINK_SECONDS = 3.0
SHRINK_CALLS = 200
#: Failing runs kept as evidence that an explanation must reproduce (each costs an oracle
#: run per mistake tried): the first ones found, and the smallest.
EVIDENCE = 12


@dataclass
class Context:
    """What the properties share: the session, the rule, how to build the target."""

    session: Session
    family: str
    kwargs: Callable[[dict], dict]  # spec hyperparameter values -> constructor kwargs
    passed: list[str]
    candidates: list[Match]  # the variants still in the running, with their constants
    seed: int
    max_examples: int
    deadline: float  # monotonic time after which searching stops
    progress: Callable[[str], None] = lambda message: None
    api: str = "book"


@dataclass
class Observation:
    """The first counterexample of each contract seen on the agreement runs."""

    first: dict[str, tuple[str, Problem]] = field(default_factory=dict)
    examples: int = 0
    dtypes: set = field(default_factory=set)

    def note(self, kind: str, message: str, problem: Problem):
        self.first.setdefault(kind, (message, problem))


@dataclass
class AgreementOutcome:
    examples: int
    survivors: list[Match]
    failure: tuple[Problem, list[Match], Trajectory] | None = None  # the minimal failing problem
    stopped: Failure | None = None  # a crash, hang or exit on the way
    stopped_problem: Problem | None = None
    observed: Observation = field(default_factory=Observation)
    examples_to_failure: int | None = None  # drawn examples until the first failure
    failures: list = field(default_factory=list)  # every (problem, trajectory) that failed


def observe_contracts(traj: Trajectory, problem: Problem, obs: Observation, api: str = "book") -> None:
    for k, result in enumerate(traj.results, start=1):
        sent = traj.got[k - 1]
        rebound = [key for key in result.rebound_keys if isinstance(sent.get(key), np.ndarray)]
        # CS231n's next_w is a new array by its API: rebinding is how it works there
        rebinding = bool(rebound) and api != "cs231n" and not traj.used_returned
        if traj.used_returned:
            obs.note("inplace", f"update returned a new dict at step {k} and left params unchanged; "
                     "update the arrays in params in place (params[key] -= ...)", problem)
        elif rebinding:
            promoted = [key for key in rebound if _promotion(sent, traj.got[k], key)]
            key = (promoted or rebound)[0]
            message = rebinding_message(key, list(sent).index(key), k, api,
                                        _promotion(sent, traj.got[k], key))
            if promoted and "promotes" not in obs.first.get("inplace", ("promotes",))[0]:
                obs.first["inplace"] = (message, problem)  # the dtype it changed belongs here
            obs.note("inplace", message, problem)
        if result.removed_keys or result.added_keys:
            obs.note("inplace", f"update changed the keys of params at step {k} "
                     f"(removed {list(result.removed_keys)}, added {list(result.added_keys)})", problem)
        mutated = [key for key, m in result.grads_mutated.items() if m]
        if mutated:
            obs.note("grads-mutated", f"grads[{mutated[0]!r}] was modified by update at step {k}; "
                     "the caller's gradients must stay as they were (copy before changing them)",
                     problem)
        for key, before in sent.items():
            after = traj.got[k].get(key)
            b, a = np.asarray(before), np.asarray(after)
            if rebinding and key in rebound and a.shape == b.shape:
                if a.dtype != b.dtype:  # it came with the new array: say so, as one story
                    obs.note("dtype", f"params[{key!r}] changed from {b.dtype} to {a.dtype} at step "
                             f"{k} because update rebinds it to a new {a.dtype} array (see the "
                             f"in-place update); in place it would have stayed {b.dtype}", problem)
                continue
            if isinstance(before, np.ndarray) and (a.dtype != b.dtype or a.shape != b.shape):
                why = ""
                if (b.dtype, a.dtype) == (np.float32, np.float64) and a.shape == b.shape:
                    why = ("; under NumPy 2's promotion rules (NEP 50) a NumPy float64 scalar, "
                           "such as np.sqrt(...) of a Python number, turns a float32 array into "
                           "float64: use math.sqrt, or np.float32(...), for scalars")
                obs.note("dtype", f"params[{key!r}] changed from {b.dtype}{list(b.shape)} to "
                         f"{a.dtype}{list(a.shape)} at step {k}; keep the parameter's dtype and shape"
                         + why, problem)


def _promotion(sent: dict, after: dict, key: str) -> str | None:
    b, a = np.asarray(sent[key]), np.asarray(after[key])
    return None if a.dtype == b.dtype else f"{b.dtype} -> {a.dtype}"


def rebinding_message(key: str, position: int, step: int, api: str, promotion: str | None) -> str:
    """Rebinding params[key]: what it breaks in the book's networks, and the dtype it brings."""
    if api == "booklist":
        where = f"params[{position}]"
        held = ("in the book's networks the layers hold the original arrays (`Affine(W1, b1)`, "
                "whose params the model gathers once)")
    else:
        where = f"params[{key!r}]"
        held = (f"in the book's networks the layers hold the original arrays "
                f"(`Affine(self.params[{key!r}], ...)`)")
    text = f"rebinds {where} to a new array (step {step}); {held}, so training silently stops"
    if promotion is not None:
        old, new = promotion.split(" -> ")
        text += (f"; the new array is also {new} where the parameter was {old} (a NumPy {new} "
                 "scalar in the step promotes it; in place it would have stayed " + old + ")")
    return text + f"; write {where} -= ... (or {where}[...] = ...)"


def _settings(ctx: Context, n: int):
    # one bug is all there is to report (every disagreement raises the same assertion), so
    # Hypothesis is not to keep drawing after the first in search of others
    return settings(max_examples=n, deadline=None, database=None, derandomize=False,
                    suppress_health_check=list(HealthCheck), print_blob=False,
                    phases=[Phase.generate, Phase.shrink], report_multiple_bugs=False)


class _BudgetSpent(BaseException):
    """Ends Hypothesis' run from inside the property (the shrink budget spent, a crash seen,
    the deadline passed): not an Exception, so that Hypothesis does not take it for the test
    failing, and lets it out."""


def agreement(ctx: Context, rule) -> AgreementOutcome:
    """Draw problems; each must match one of the candidate variants."""
    fixed = {k: v for k, v in ctx.candidates[0].hypers.items() if k not in ctx.passed}
    out = AgreementOutcome(0, list(ctx.candidates))
    alive = {id(m): True for m in ctx.candidates}
    best: list = []  # the smallest failing (problem, results, traj) so far
    first: list = []  # when and at which call the first failure was seen

    @hseed(ctx.seed)
    @_settings(ctx, ctx.max_examples)
    @given(problems(rule, ctx.passed, fixed))
    def prop(problem: Problem):
        # nothing more to learn after a crash, or past the check's deadline, or with the
        # shrink budget spent: end the run rather than let Hypothesis draw on for nothing
        if out.stopped is not None or time.monotonic() > ctx.deadline or first and (
                time.monotonic() - first[0] > SHRINK_SECONDS
                or out.examples - first[1] >= SHRINK_CALLS):
            raise _BudgetSpent
        out.examples += 1
        if out.examples % 10 == 0:
            ctx.progress(f"agreement: {out.examples} examples")
        try:
            traj = ctx.session.run(ctx.kwargs(problem.hypers), problem.params, problem.grads)
        except Failure as f:
            out.stopped, out.stopped_problem = f, problem
            return
        observe_contracts(traj, problem, out.observed, ctx.api)
        out.observed.dtypes.add(problem.dtype)
        results = []
        for m in ctx.candidates:
            hypers = dict(m.hypers, **{k: problem.hypers[k] for k in ctx.passed if k in problem.hypers})
            results.append(Match(m.rule, hypers, check_against(m.rule, hypers, traj, problem.grads),
                                 m.inferred))
        ok = [r for r in results if r.ok]
        if not ok:
            if out.examples_to_failure is None:
                out.examples_to_failure = out.examples
                first[:] = [time.monotonic(), out.examples]
            # not larger: Hypothesis' own later shrinks win a tie
            if not best or problem.size_key() <= best[0][0].size_key():
                best[:] = [(problem, results, traj)]
            if len(out.failures) < EVIDENCE - 1:
                out.failures.append((problem, traj, results))
            raise AssertionError(closest(results).mismatch.describe())
        for m, r in zip(ctx.candidates, results):
            if not r.ok:
                alive[id(m)] = False

    try:
        prop()
    except _BudgetSpent:
        pass  # the smallest failure so far (if any) is the answer
    except Exception:
        # a failure was recorded before Hypothesis raised (an AssertionError, or a flaky
        # one when a target whose state leaks between runs fails in different ways)
        if not best:
            raise
    if best:
        out.failure = best[0]
        problem, results, traj = best[0]
        if not any(p is problem for p, _, _ in out.failures):
            out.failures.append((problem, traj, results))
    out.survivors = [m for m in ctx.candidates if alive[id(m)]] or list(ctx.candidates)
    return out


def first_steps_equal(a: Trajectory, b: Trajectory, keys, steps: int) -> tuple[bool, str]:
    for k in range(1, steps + 1):
        for key in keys:
            x, y = np.asarray(a.got[k][key]), np.asarray(b.got[k][key])
            if x.shape != y.shape or not np.array_equal(x, y, equal_nan=True):
                return False, f"step {k}, params[{key!r}]"
    return True, ""


class Unsteady(Exception):
    """Two fresh processes given the same inputs disagree: no bitwise comparison between
    runs can then say anything about state."""

    def __init__(self, where: str):
        super().__init__(f"two fresh processes given the same inputs disagree ({where})")


def _steady(ctx: Context, kwargs, params, grads, steps: int, runs: int) -> None:
    """Raise Unsteady unless `runs` fresh processes give bitwise the same trajectory.

    Randomness may hide in a few elements (a step 1 ulp off, lost when added to a large
    parameter), so two runs can agree by chance; every extra run makes that rarer."""
    first = None
    for _ in range(runs):
        with ctx.session.spawn() as fresh:
            traj = fresh.run(kwargs, params, grads)
        if first is None:
            first = traj
            continue
        ok, where = first_steps_equal(first, traj, list(params), steps)
        if not ok:
            raise Unsteady(where)


def key_isolation(ctx: Context, problem: Problem) -> tuple[bool, str]:
    """A key's trajectory must not depend on the other keys updated with it."""
    kwargs = ctx.kwargs(problem.hypers)
    both = ctx.session.run(kwargs, problem.params, problem.grads)
    key = next(iter(problem.params))
    alone = ctx.session.run(kwargs, {key: problem.params[key]}, [{key: g[key]} for g in problem.grads])
    ok, where = first_steps_equal(both, alone, [key], problem.steps)
    if not ok:  # a difference that noise explains is not evidence of shared state
        _steady(ctx, kwargs, problem.params, problem.grads, problem.steps, runs=3)
    return ok, (f"params[{key!r}] moves differently when other keys are updated with it ({where}): "
                "state is shared between keys or a counter is advanced once per key" if not ok else "")


def instance_isolation(ctx: Context, problem: Problem) -> tuple[bool, str]:
    """A new instance starts fresh, whatever an earlier instance did."""
    kwargs = ctx.kwargs(problem.hypers)
    first = ctx.session.run(kwargs, problem.params, problem.grads)
    second = ctx.session.run(kwargs, problem.params, problem.grads[:1])
    ok, where = first_steps_equal(first, second, list(problem.params), 1)
    if not ok:
        _steady(ctx, kwargs, problem.params, problem.grads, problem.steps, runs=3)
    return ok, ("a second instance's first update differs from the first instance's "
                f"({where}): state is shared between instances (a class-level dict or "
                "a mutable default argument?); create state in __init__ or update" if not ok else "")


def deterministic(ctx: Context, problem: Problem) -> tuple[bool, str]:
    """Three runs in three fresh worker processes: state shared between instances (a
    class-level dict) cannot make them differ, only real randomness can."""
    try:
        _steady(ctx, ctx.kwargs(problem.hypers), problem.params, problem.grads, problem.steps, runs=3)
    except Unsteady as u:
        return False, str(u)
    return True, ""


def lr_change(ctx: Context, problem: Problem, lr_attr: str, candidates: list[Match]
              ) -> tuple[list[Match], Trajectory, list[float]]:
    """Change lr between steps; return the candidates that model the result."""
    lr0 = problem.hypers.get("lr", candidates[0].hypers["lr"])
    schedule = [lr0, lr0, lr0 * 0.5, lr0 * 0.5, lr0 * 2.0][: problem.steps]
    traj = ctx.session.run(ctx.kwargs(problem.hypers), problem.params, problem.grads,
                           lr_schedule=schedule, lr_attr=lr_attr)
    results = [Match(m.rule, m.hypers, check_against(m.rule, m.hypers, traj, problem.grads, schedule),
                     m.inferred) for m in candidates]
    return results, traj, schedule


def describe_problem(problem: Problem) -> str:
    shapes = ", ".join(f"{k}{list(np.shape(v))}" for k, v in problem.params.items())
    return f"{len(problem.params)} keys ({shapes}), {problem.dtype}, {problem.steps} steps"


def summarize(value: Any) -> str:
    return np.array2string(np.asarray(value), precision=17, threshold=20)
