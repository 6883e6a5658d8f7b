"""Running the code under test: one worker, restarted if the target kills it.

`Session` loads the target in a `Worker`, builds instances and runs
trajectories, turning every way the target can fail into a `Failure` with one
of the report's kinds.  Nothing here computes an expected value.

A session and those it `spawn`s fork their workers from one template (`_template`),
started with the session: it has imported NumPy, and torch or JAX when the target is
seen to import them, so that a restart or a fresh-process experiment does not pay those
imports again. Each worker is still a process of its own, in a sandbox of its own.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ._errors import UsageError
from ._isolation import UpdateResult, Worker, WorkerFailure, start_template, worker_environment
from ._template import FRAMEWORKS, Template, frameworks_in

WARM = True  # the default for Session(warm=None); benchmarks/warm.py sets False to compare

_KIND = {"load": "load", "crash": "crash", "memory": "crash", "timeout": "timeout",
         "exit": "exit", "protocol": "exit", "start": "exit"}


@dataclass
class Failure(Exception):
    """The target failed: ``kind`` is a report kind, ``step`` the update it failed in."""

    kind: str
    op: str
    message: str
    worker: WorkerFailure | None = None
    step: int | None = None
    value: str | None = None  # kind "api": "none" when the update gave back None

    def __str__(self) -> str:
        return self.message


@dataclass
class Loader:
    """How to load the class in a worker."""

    mode: str  # "source", "file" or "module"
    class_name: str
    source: str | None = None
    filename: str | None = None
    path: str | None = None
    module: str | None = None
    api: str | None = None  # None: the worker detects it
    root: str | None = None  # a dotted target's package folder, when known (`check(obj)`)
    home: str | None = None  # a text's or notebook's folder: its own imports resolve there

    def folders(self) -> tuple[str, ...]:
        """The target's own folder, shown to it read-only in the sandbox (a dotted target's
        is the working folder it is imported from, and its package's folder if known)."""
        import os

        if self.mode == "module":
            return tuple(dict.fromkeys(p for p in (os.getcwd(), self.root) if p))
        where = self.path if self.mode == "file" else self.filename
        folder = os.path.dirname(os.path.abspath(where)) if where else None
        if self.mode == "source":
            folder = self.home
        return (folder,) if folder and os.path.isdir(folder) else ()

    def frameworks(self) -> tuple[str, ...]:
        """What a template should preload for it: the heavy frameworks ("torch", "jax") its
        source is seen to import, read here as text (never imported: that would run it).
        A guess: a framework imported some other way is imported by the worker, as cold."""
        found = {"torch"} if self.api == "torch" else {"jax"} if self.api in ("optax", "keras") \
            else set()
        if self.mode == "module":
            top = self.module.split(".")[0]
            found |= {FRAMEWORKS[top]} if top in FRAMEWORKS else set()
            text = _read(_module_file(self.module, self.root))
        else:
            text = self.source if self.mode == "source" else _read(self.path)
        return tuple(sorted(found | set(frameworks_in(text or ""))))

    def load(self, worker: Worker) -> dict:
        if self.mode == "source":
            return worker.load_source(self.source, self.filename, self.class_name, home=self.home)
        if self.mode == "file":
            return worker.load_file(self.path, self.class_name)
        return worker.load_module(self.module, self.class_name)


@dataclass
class Trajectory:
    """What the target did over the steps of one problem."""

    got: list[dict[str, Any]]  # got[0]: the inputs, got[k]: params after step k
    results: list[UpdateResult] = field(default_factory=list)
    used_returned: bool = False  # update returned new values instead of updating params


#: APIs whose frameworks compile every operation for each new shape and dtype on first
#: use (JAX, eagerly): an update on new shapes takes seconds on a busy machine, so each
#: call may take this many times the per-call bound
COMPILING_APIS = {"optax": 6, "keras": 6}


class Session:
    """A worker with the target loaded; restarted when a call kills it."""

    def __init__(self, loader: Loader, *, timeout: float = 5.0, memory_mb: int = 2048,
                 total_timeout: float = 120.0, load_timeout: float = 20.0, sandbox: bool = True,
                 warm: bool | None = None, template: Template | None = None):
        self.loader, self.sandbox = loader, sandbox
        self.sandboxes: list[str] = []  # how each worker was contained, as it said
        self.notes: list[str] = []  # for the report: workers started cold, and why
        # warm: fork workers from a template (shared with the sessions spawned from this
        # one, closed by the one that started it); started now, so it imports meanwhile
        self._owns_template = (WARM if warm is None else warm) and template is None
        self.template = _template_for(loader, sandbox) if self._owns_template else template
        self.timeout, self.memory_mb = timeout, memory_mb
        self.load_timeout = load_timeout
        self.deadline = time.monotonic() + total_timeout
        self._worker: Worker | None = None
        self.outputs: list = []
        self.restarts = 0

    # -- worker lifecycle -------------------------------------------------------
    def worker(self) -> Worker:
        if self._worker is not None and self._worker.alive:
            return self._worker
        if self._worker is not None:
            self._retire()
        remaining = self.deadline - time.monotonic()
        if remaining <= 1:
            raise Failure("timeout", "run", "the whole run's time bound ran out")
        w = Worker(timeout=self.timeout, memory_mb=self.memory_mb, total_timeout=remaining,
                   load_timeout=self.load_timeout, api=self.loader.api, sandbox=self.sandbox,
                   expose=self.loader.folders(), template=self.template)
        try:
            w.start()
            self.sandboxes.append(w.info.get("sandbox", ""))
            cold = w.info.get("cold")
            if cold and cold not in self.notes:
                self.notes.append(cold)
            w.load_target_info = self.loader.load(w)
            if w.load_target_info.get("api") in COMPILING_APIS:
                w.timeout = max(w.timeout, COMPILING_APIS[w.load_target_info["api"]] * self.timeout)
        except WorkerFailure as e:
            self._worker = w
            raise self._failure(e, "load") from None
        self._worker = w
        return w

    def _retire(self):
        try:
            self.outputs.append(self._worker.output())
        except Exception:  # noqa: BLE001 - a dead worker may have nothing to give
            pass
        self._worker.close()
        self._worker = None
        self.restarts += 1

    def close(self):
        if self._worker is not None:
            self._retire()
        if self._owns_template and self.template is not None:
            self.template.close()

    def spawn(self) -> "Session":
        """A new session on a new worker, sharing this one's deadline (a context manager)."""
        other = Session(self.loader, timeout=self.timeout, memory_mb=self.memory_mb,
                        total_timeout=max(1.5, self.deadline - time.monotonic()),
                        load_timeout=self.load_timeout, sandbox=self.sandbox,
                        warm=self.template is not None, template=self.template)
        other.parent = self
        return other

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        parent = getattr(self, "parent", None)
        if parent is not None:  # what the target printed there is part of the report
            parent.outputs.extend(self.outputs)
            parent.sandboxes.extend(self.sandboxes)
            parent.notes.extend(n for n in self.notes if n not in parent.notes)

    def output(self):
        """Everything the target printed, over every worker this session used."""
        if self._worker is not None:
            try:
                self.outputs.append(self._worker.output())
            except Exception:  # noqa: BLE001
                pass
        out = _trim("".join(o.stdout for o in self.outputs))
        err = _trim("".join(o.stderr for o in self.outputs))
        total = sum(o.stdout_bytes for o in self.outputs), sum(o.stderr_bytes for o in self.outputs)
        return out, err, total

    @staticmethod
    def _failure(e: WorkerFailure, op: str, step: int | None = None) -> Failure:
        kind = _KIND.get(e.kind, "exit")
        if e.kind == "crash" and e.op in ("load",):
            kind = "load"
        return Failure(kind, e.op or op, e.message, e, step)

    def call(self, fn: Callable, *args, op: str = "call", step: int | None = None):
        w = self.worker()
        try:
            return fn(w, *args)
        except WorkerFailure as e:
            raise self._failure(e, op, step) from None

    # -- the calls the checks make --------------------------------------------------
    def signature(self):
        return self.call(lambda w: w.signature(), op="signature")

    def construct(self, kwargs: dict) -> int:
        return self.call(lambda w: w.construct(kwargs), op="construct")

    def set_attr(self, inst: int, name: str, value: float) -> None:
        self.call(lambda w: w.set_attr(inst, name, value), op="set_attr")

    def describe(self, inst: int) -> dict:
        return self.call(lambda w: w.describe(inst), op="describe")

    def get_attr(self, inst: int, name: str):
        return self.call(lambda w: w.get_attr(inst, name), op="get_attr")

    def api(self) -> str:
        """The API the worker found (or was told): book, booklist, cs231n or torch."""
        return self.worker().load_target_info.get("api") or "book"

    def run(self, kwargs: dict, params: dict, grads: list[dict],
            lr_schedule: list[float] | None = None, lr_attr: str | None = None,
            inst: int | None = None) -> Trajectory:
        """A fresh instance (unless ``inst``), ``len(grads)`` updates, params threaded through."""
        if inst is None:
            inst = self.construct(kwargs)
        current = {k: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v)
                   for k, v in params.items()}
        traj = Trajectory(got=[_copy(current)])
        for k, g in enumerate(grads, start=1):
            if lr_schedule is not None and lr_attr is not None:
                self.call(lambda w: w.set_attr(inst, lr_attr, float(lr_schedule[k - 1])),
                          op="set_attr", step=k)
            result = self.call(lambda w: w.update(inst, current, g), op="update", step=k)
            traj.results.append(result)
            after = dict(result.params)
            returned = result.returned
            if (isinstance(returned, dict) and not result.returned_params
                    and _unchanged(current, after) and set(returned) >= set(current)):
                # the values came back as a new dict: judge the numbers on them,
                # and the in-place property reports the contract
                after = dict(returned)
                traj.used_returned = True
            nxt = {}
            for key, old in current.items():
                nxt[key] = after.get(key, old)
            bad = next(((key, v) for key, v in nxt.items() if not _is_parameter(v)), None)
            if bad is not None:  # None from a starter left as it was, a list, an int array
                raise Failure("api", "update", self._not_a_parameter(*bad), step=k,
                              value="none" if bad[1] is None else "other")
            current = nxt
            traj.got.append(_copy(current))
        return traj

    def _not_a_parameter(self, key: str, value: Any) -> str:
        what = "None" if value is None else _describe(value)
        if self.api() == "cs231n":
            if value is None:
                return "returns next_w = None: the function is not implemented"
            return (f"returns next_w as {what}, not a float array like w; "
                    "return next_w, config with next_w of w's dtype and shape")
        return (f"update set params[{key!r}] = {what}, not a float array; "
                f"update the array in place (params[{key!r}] -= ...)")


def _is_parameter(value: Any) -> bool:
    """What a parameter may be after an update: a float array (numpy scalars included) or a
    Python float (the book's script passes them)."""
    if type(value) is float:
        return True
    return isinstance(value, (np.ndarray, np.generic)) and np.issubdtype(value.dtype, np.floating)


def _describe(value: Any) -> str:
    dtype, shape = getattr(value, "dtype", None), getattr(value, "shape", None)
    name = getattr(value, "type_name", None) or type(value).__name__
    if dtype is not None:
        return f"a {name} of dtype {dtype}" + (f" and shape {list(shape)}" if shape is not None else "")
    return f"a {name}"


_PRESTARTED: dict[tuple, Template] = {}


def prestart(target: str, *, api: str | None = None, sandbox: bool = True) -> None:
    """Start now the template a check of ``target`` will fork its workers from, so that it
    imports NumPy (and torch) while this process imports the checker: the check's
    `Session` takes it over. For a command line, before it imports `_check`; cheap (no
    SymPy, no spec), and a target it cannot parse starts nothing."""
    import atexit

    key = template_key_for(target, api=api, sandbox=sandbox)
    if key is not None and key not in _PRESTARTED:
        if not _PRESTARTED:
            atexit.register(_close_prestarted)
        _PRESTARTED[key] = start_template(key[0], sandbox=sandbox)


def template_key_for(target: str, *, api: str | None = None, sandbox: bool = True) -> tuple | None:
    """Which template a check of ``target`` forks from (what it preloads, and for which
    environment): the key of `_PRESTARTED`; None for a target that does not parse."""
    from ._extract import parse_target

    try:
        parsed = parse_target(target, root=os.getcwd())
    except UsageError:
        return None
    if parsed.kind == "module":
        loader = Loader("module", parsed.class_name, module=parsed.module, api=api)
    else:  # read as text only to see what it imports
        loader = Loader("source", parsed.class_name, source=_read(str(parsed.path)), api=api)
    return _template_key(loader, sandbox)


def _template_key(loader: Loader, sandbox: bool) -> tuple:
    return template_key(loader.frameworks(), sandbox)


def template_key(preload: tuple[str, ...], sandbox: bool) -> tuple:
    """The key of `_PRESTARTED` for a template with these preloads and sandbox setting."""
    return preload, sandbox, frozenset(worker_environment(sandbox).items())


def _template_for(loader: Loader, sandbox: bool) -> Template:
    """The template prestarted for this loader, if any (now this session's), or a new one."""
    if _PRESTARTED:
        found = _PRESTARTED.pop(_template_key(loader, sandbox), None)
        if found is not None and found.why is None:
            return found
    return start_template(loader.frameworks(), sandbox=sandbox)


def _close_prestarted() -> None:
    while _PRESTARTED:
        _PRESTARTED.popitem()[1].close()


def _module_file(dotted: str, root: str | None = None) -> str | None:
    """Where ``dotted`` would be imported from, as the worker's path has it (the working
    folder first), found without importing anything."""
    parts = dotted.split(".")
    for base in [os.getcwd(), *sys.path, *([root] if root else [])]:
        stem = os.path.join(base or os.getcwd(), *parts)
        for path in (stem + ".py", os.path.join(stem, "__init__.py")):
            if os.path.isfile(path):
                return path
    return None


def _read(path: str | None, limit: int = 1 << 20) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(limit)
    except (OSError, TypeError, ValueError):
        return ""


OUTPUT_LIMIT = 20_000  # characters of each stream kept for the report, over all workers


def _trim(text: str, limit: int = OUTPUT_LIMIT) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n[... {len(text) - limit} characters left out ...]\n{text[-half:]}"


def _copy(d: dict) -> dict:
    return {k: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v) for k, v in d.items()}


def _unchanged(before: dict, after: dict) -> bool:
    for k, v in before.items():
        if k not in after:
            return False
        a, b = np.asarray(v), np.asarray(after[k])
        if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
            return False
    return True
