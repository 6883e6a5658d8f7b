"""Parent side of the isolation boundary: runs the code under test in a worker process.

>>> with Worker(timeout=5.0, memory_mb=2048) as w:          # doctest: +SKIP
...     w.load_file("my_optim.py", "Adam")
...     inst = w.construct({"lr": 0.001})
...     result = w.update(inst, {"w": np.ones(3)}, {"w": np.full(3, 0.5)})
...     result.params["w"], result.in_place

The code under test never runs in this process. It cannot see the expected values
(they are never sent), cannot patch the comparisons (they happen here), and cannot
fake a verdict by printing: stdout and stderr are drained into bounded buffers and
only returned for the report. The protocol runs over two private pipes, and what
arrives on them is JSON plus raw float bytes, never a pickle (see `_worker`).

Every call returns or raises one exception type, `WorkerFailure`, whose ``kind`` is
one of `KINDS`. After "start", "timeout", "exit", or garbage on the channel
("protocol"), the worker is gone and every later call raises again. After "load",
"crash", "memory", or a request the worker rejected, it keeps serving.

Where a dotted target is imported from: as with ``python -m``, the child puts the
parent's working directory first on ``sys.path``, then the parent's own ``sys.path``,
so ``mymodule.Adam`` resolves in the child as the user expects from where they ran
the checker. A ``file.py`` target gets its own folder first instead, so that its
sibling imports work.

By default the child runs in a sandbox (`_sandbox`: Linux namespaces, its own uid,
read-only files, no network, nothing left running); ``expose`` names the target's own
folders, the only ones of the user's it can see. Where the kernel refuses namespaces the
worker runs as before and ``info["sandbox"]`` says ``"none: why"``. Even in the sandbox
the target shares its process with the worker: it can find the channel's descriptors
and write on them, which is why nothing that arrives is trusted (sequence numbers, no
pickles, the comparisons made here). What it cannot do is learn the expected answers,
reach into the parent's objects, or touch anything outside once the worker is gone.

A worker starts cold (a new ``python -I _worker.py``) or warm: forked from a template
(`start_template`, see `_template`) that has already imported NumPy, and torch when
asked, after which it runs the same ``_worker.serve`` and enters the same sandbox.
"""

from __future__ import annotations

import json
import linecache
import math
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from ._template import TEMPLATE_PATH, Forked, Template, TemplateUnavailable
from ._worker import _LEN, FLOAT_DTYPES, Blobs, Opaque, decode_value, encode_value, pack, unpack

__all__ = ["KINDS", "ErrorInfo", "Frame", "Opaque", "Output", "Param", "UpdateResult", "Worker",
           "WorkerFailure", "start_template"]

KINDS = ("start", "load", "crash", "memory", "timeout", "exit", "protocol")
WORKER_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_worker.py")
_GRACE = 0.5  # seconds between SIGTERM and SIGKILL
_MAX_REPLY = 1 << 30  # bytes; a longer length prefix is garbage, not a reply


@dataclass(frozen=True)
class Frame:
    filename: str
    lineno: int
    function: str
    line: str


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised in the worker, as data: nothing here came from unpickling."""

    type_name: str
    message: str
    frames: tuple[Frame, ...] = ()
    function: str | None = None  # the innermost frame in the target's own code...
    local_types: dict[str, str] = field(default_factory=dict)  # ...its locals' type names
    self_attrs: dict[str, str] | None = None  # ...and those of its self's attributes

    @classmethod
    def from_wire(cls, data) -> ErrorInfo | None:
        if not isinstance(data, dict):
            return None
        frames = tuple(Frame(_text(f[0]), f[1] if type(f[1]) is int else 0, _text(f[2]),
                             _text(f[3])) for f in data.get("frames") or ()
                       if isinstance(f, list) and len(f) == 4)
        function = data.get("function")
        return cls(_text(data.get("type")), _text(data.get("message"), 4000), frames,
                   None if function is None else _text(function), _names(data.get("locals")),
                   _names(data["self_attrs"]) if data.get("self_attrs") else None)

    def format(self) -> str:
        lines = ["Traceback (in the worker):"]
        for f in self.frames:
            lines.append(f'  File "{f.filename}", line {f.lineno}, in {f.function}')
            lines += [f"    {f.line}"] if f.line else []
        return "\n".join([*lines, f"{self.type_name}: {self.message}"])


class WorkerFailure(Exception):
    """The worker did not produce a result: see ``kind`` (one of KINDS) and ``error``."""

    def __init__(self, kind: str, op: str, message: str, error: ErrorInfo | None = None,
                 exit_code: int | None = None, output: Output | None = None) -> None:
        self.kind, self.op, self.message = kind, op, message
        self.error, self.exit_code, self.output = error, exit_code, output
        detail = f" ({error.type_name}: {error.message[:300]})" if error else ""
        super().__init__(f"{op}: {kind}: {message}{detail}")


@dataclass(frozen=True)
class Output:
    """What the target printed: the start and end of each stream, and the total sizes."""

    stdout: str
    stderr: str
    stdout_bytes: int
    stderr_bytes: int


@dataclass(frozen=True)
class Param:
    """One constructor parameter; a default that is not a plain value arrives as Opaque."""

    name: str
    kind: str  # inspect.Parameter kind name, e.g. "POSITIONAL_OR_KEYWORD"
    has_default: bool
    default: Any = None


@dataclass(frozen=True)
class UpdateResult:
    """What one ``update(params, grads)`` call did, as observed in the worker."""

    params: dict[str, Any]  # values after the call, for the keys present after it
    same_object: dict[str, bool]  # per key passed in: is params[key] still that object?
    added_keys: tuple[str, ...]
    removed_keys: tuple[str, ...]
    grads: dict[str, Any]  # gradients after the call
    grads_mutated: dict[str, bool]  # compared here, bit for bit, with what was sent
    returned: Any  # update's return value; a dict comes back with its arrays
    returned_params: bool  # update returned the very dict it was given
    elapsed: float  # as timed by the worker: informative only
    wall_time: float  # as timed here, including transfer

    @property
    def in_place(self) -> bool:
        return all(self.same_object.values()) and not self.added_keys and not self.removed_keys

    @property
    def rebound_keys(self) -> tuple[str, ...]:
        return tuple(k for k, same in self.same_object.items() if not same)


class _Capture:
    """Keeps the first and last ``half`` bytes of a stream and counts the rest."""

    def __init__(self, half: int) -> None:
        self.half, self.head, self.tail, self.total = half, bytearray(), bytearray(), 0

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        room = max(self.half - len(self.head), 0)
        self.head += data[:room]
        self.tail += data[room:]
        if len(self.tail) > 4 * self.half:
            del self.tail[:-self.half]

    def text(self) -> str:
        tail = bytes(self.tail[max(len(self.tail) - self.half, 0):])
        dropped = self.total - len(self.head) - len(tail)
        note = f"\n[... {dropped} bytes dropped ...]\n" if dropped else ""
        return self.head.decode("utf-8", "replace") + note + tail.decode("utf-8", "replace")


class _ChannelError(Exception):
    """Why a frame did not arrive: "timeout", "eof" or "bad"."""


class Worker:
    """A worker process that imports one optimizer class and makes calls on it.

    timeout: seconds each call may take (load_timeout for loading, start_timeout for
    starting); total_timeout: seconds the whole run may take; memory_mb: the child's
    address-space limit (RLIMIT_AS); output_limit: bytes kept of each of stdout and
    stderr, half from the start and half from the end. template: a `start_template` to
    fork the worker from, warm (see `_template`); if it cannot, the worker starts cold and
    ``info["warm"]`` says why. Not thread-safe.
    """

    def __init__(self, timeout: float = 5.0, memory_mb: int = 2048, *,
                 total_timeout: float = 120.0, load_timeout: float | None = None,
                 start_timeout: float = 30.0, output_limit: int = 20_000,
                 cwd: str | None = None, python: str | None = None, api: str | None = None,
                 sandbox: bool = True, expose: tuple[str, ...] = (),
                 template: Template | None = None) -> None:
        self.api = api or "auto"  # book, booklist, cs231n, torch; auto: the worker tells
        # sandbox: run the target in Linux namespaces (see `_sandbox`); expose: the target's
        # own folders, shown to it read-only (Python and its packages always are)
        self.sandbox, self.expose = bool(sandbox), tuple(os.path.abspath(p) for p in expose)
        self._init_fd: int | None = None
        self.template = template
        load_timeout = timeout if load_timeout is None else load_timeout
        for name, value in (("timeout", timeout), ("memory_mb", memory_mb),
                            ("total_timeout", total_timeout), ("load_timeout", load_timeout),
                            ("start_timeout", start_timeout), ("output_limit", output_limit)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                unit = {"memory_mb": "MiB", "output_limit": "bytes"}.get(name, "seconds")
                raise ValueError(f"{name} must be a positive number of {unit}, got {value!r}")
        self.timeout, self.load_timeout = float(timeout), float(load_timeout)
        self.total_timeout, self.start_timeout = float(total_timeout), float(start_timeout)
        self.memory_mb, self.cwd, self.python = int(memory_mb), cwd, python or sys.executable
        self._captures = (_Capture(output_limit // 2), _Capture(output_limit // 2))
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._proc: subprocess.Popen | Forked | None = None
        self._dead: WorkerFailure | None = None
        self._seq = 0  # numbers requests, so a reply forged by the target cannot pass as the next
        self.info: dict = {}

    def __enter__(self) -> Worker:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def alive(self) -> bool:
        """Started, not closed, and no failure has ended it: calls can still succeed."""
        return self._proc is not None and self._dead is None and not self._stop.is_set()

    def start(self) -> None:
        if self._proc is not None:
            raise RuntimeError("this Worker was already started; use a new one")
        cmd_r, self._cmd = os.pipe()
        self._reply, reply_w = os.pipe()
        self._dump, dump_w = os.pipe()  # where the worker writes its stack when asked
        numpy_home = _numpy_home()
        config = {"parent_pid": os.getpid(), "memory_bytes": self.memory_mb << 20,
                  "cpu_seconds": math.ceil(self.total_timeout) + 5,  # outlives us only if we die
                  "extra_path": [numpy_home], "sandbox": self.sandbox,
                  "expose": _python_paths(numpy_home), "private": list(self.expose),
                  "dump_fd": dump_w}
        env = worker_environment(self.sandbox)
        self.info = {"warm": None}
        try:
            if self.template is not None:
                try:
                    self._proc = self.template.fork(
                        config, cwd=os.path.abspath(self.cwd or os.getcwd()), env=env,
                        fds=(cmd_r, reply_w, dump_w), timeout=self.start_timeout)
                    self.info["warm"] = ", ".join(self.template.loaded)
                except TemplateUnavailable as e:
                    self.info["cold"] = f"workers started cold: {e}"
            if self._proc is None:
                self._proc = subprocess.Popen(
                    [self.python, "-I", WORKER_PATH, str(cmd_r), str(reply_w), json.dumps(config)],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    pass_fds=(cmd_r, reply_w, dump_w), start_new_session=True, cwd=self.cwd,
                    env=env)
        except BaseException:
            os.close(self._cmd)
            os.close(self._reply)
            os.close(self._dump)
            raise
        finally:
            os.close(cmd_r)
            os.close(reply_w)
            os.close(dump_w)
        os.set_blocking(self._dump, False)
        os.set_blocking(self._cmd, False)
        self._started = time.monotonic()
        self._drainer = threading.Thread(target=self._drain, daemon=True, name="worker-output")
        self._drainer.start()
        hello, _ = self._exchange("start", None, self.start_timeout)
        self.info.update({k: hello.get(k) for k in ("pid", "python", "numpy")})
        self.info["sandbox"] = _text(hello.get("sandbox")) if self.sandbox else "off (--no-sandbox)"
        self.info["notes"] = [_text(n) for n in hello.get("notes") or () if isinstance(n, str)]
        init = hello.get("init_pid")
        self.info["init_pid"] = init if type(init) is int and init > 0 else None
        self._cgroups = [c for c in hello.get("cgroups") or () if isinstance(c, str)
                         and os.path.basename(c) == f"optimizer-checker-{init}"]
        if self.info["init_pid"] and hasattr(os, "pidfd_open"):
            try:  # the sandbox's init: when it is gone, so is everything the target started
                self._init_fd = os.pidfd_open(init)
            except OSError:
                pass

    def close(self) -> None:
        """Stop the worker and everything it started; safe to call twice."""
        if self._proc is None or self._stop.is_set():
            return
        if self._dead is None:
            try:
                self._write(pack({"op": "close"}), time.monotonic() + _GRACE)
                self._wait_exit(_GRACE)
            except _ChannelError:
                pass
        self._kill()
        self._stop.set()
        self._drainer.join(2.0)
        for fd in (self._cmd, self._reply, self._dump):
            os.close(fd)
        self._proc.stdout.close()
        self._proc.stderr.close()
        if isinstance(self._proc, Forked):  # its template may reap it now
            self._proc.release()

    def output(self) -> Output:
        """The captured stdout/stderr so far, trimmed; the byte counts are not."""
        with self._lock:
            if self._proc is not None and not self._stop.is_set():
                for fd, capture in self._streams():  # what the last call printed and flushed
                    for _ in range(64):
                        try:
                            chunk = os.read(fd, 1 << 16)
                        except OSError:
                            break
                        if not chunk:
                            break
                        capture.feed(chunk)
            out, err = self._captures
            return Output(out.text(), err.text(), out.total, err.total)

    # ------------------------------------------------------------ requests

    def load_source(self, source: str, filename: str, class_name: str, *,
                    module_name: str | None = None, home: str | None = None) -> dict:
        """Execute ``source`` as a module (tracebacks name ``filename``) and pick its class;
        ``home`` (a notebook's folder) comes first on its ``sys.path``, as in Jupyter."""
        stem = os.path.splitext(os.path.basename(filename))[0]
        name = module_name or "".join(c if c.isalnum() else "_" for c in stem)
        if home is not None:
            home = os.path.abspath(home)
            self._visible("load_source", home)
        return self._load({"mode": "source", "source": source, "filename": filename,
                           "module_name": name if name.isidentifier() else "_target",
                           "sys_path": _import_path([home] if home else [])}, class_name)

    def load_file(self, path: str | os.PathLike, class_name: str) -> dict:
        path = os.path.abspath(os.fspath(path))
        self._visible("load_file", os.path.dirname(path))
        return self._load({"mode": "file", "path": path, "sys_path": _import_path([])}, class_name)

    def load_module(self, dotted: str, class_name: str, sys_path: list[str] | None = None) -> dict:
        if sys_path is None:
            cwd = os.path.abspath(self.cwd or os.getcwd())
            self._visible("load_module", cwd)
            sys_path = [cwd] + [os.path.abspath(p) if p else cwd for p in sys.path]
        sys_path = list(dict.fromkeys(sys_path))
        return self._load({"mode": "module", "module": dotted, "sys_path": sys_path}, class_name)

    def construct(self, kwargs: Mapping[str, Any] | None = None) -> int:
        """Call the loaded class with these keyword arguments; returns an instance id."""
        kwargs = dict(kwargs or {})
        for key, value in kwargs.items():
            _check_plain(f"kwargs[{key!r}]", value)
        blobs = Blobs()
        reply, _ = self._call("construct", {"kwargs": encode_value(kwargs, blobs)}, blobs)
        if type(reply.get("inst")) is not int:
            self._fail("construct", "protocol", "the reply carries no instance id")
        return reply["inst"]

    new_instance = construct  # each call builds a fresh instance: state is never shared

    def update(self, inst: int, params: Mapping[str, Any],
               grads: Mapping[str, Any]) -> UpdateResult:
        """Call ``update(params, grads)`` on a copy of these arrays in the worker."""
        _check_tree("params", params)
        _check_tree("grads", grads)
        blobs = Blobs()
        header = {"inst": inst, "params": encode_value(dict(params), blobs),
                  "grads": encode_value(dict(grads), blobs)}
        began = time.monotonic()
        reply, arrays = self._call("update", header, blobs)
        wall = time.monotonic() - began
        try:
            after = decode_value(reply["params"], arrays)
            grads_after, same = decode_value(reply["grads"], arrays), reply["same"]
            if not all(isinstance(x, dict) for x in (after, grads_after, same)):
                raise ValueError("params, grads and same must be objects")
            return UpdateResult(
                params=after, same_object={k: same.get(k) is True for k in params},
                added_keys=tuple(_text(k) for k in reply.get("added") or ()),
                removed_keys=tuple(_text(k) for k in reply.get("removed") or ()),
                grads=grads_after,
                grads_mutated={k: k not in grads_after or not _same_bits(v, grads_after[k])
                               for k, v in grads.items()},
                returned=decode_value(reply["returned"], arrays),
                returned_params=reply.get("returned_params") is True,
                elapsed=float(reply.get("elapsed") or 0.0), wall_time=wall)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._fail("update", "protocol", f"malformed update reply: {exc}")

    def get_attr(self, inst: int, name: str) -> Any:
        reply, arrays = self._call("get_attr", {"inst": inst, "name": name})
        return self._decode("get_attr", reply.get("value"), arrays)

    def set_attr(self, inst: int, name: str, value: Any) -> None:
        _check_plain(name, value)
        blobs = Blobs()
        header = {"inst": inst, "name": name, "value": encode_value(value, blobs, 1)}
        self._call("set_attr", header, blobs)

    def describe(self, inst: int) -> dict[str, str]:
        """The instance's attributes (and class-level constants) with their type names."""
        return _names(self._call("describe", {"inst": inst})[0].get("attrs"))

    def signature(self, inst: int | None = None) -> tuple[Param, ...]:
        """The constructor's parameters: of the loaded class, or of this instance's class."""
        reply, arrays = self._call("signature", {"inst": inst})
        params = reply.get("params")
        if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
            self._fail("signature", "protocol", "the reply carries no parameter list")
        return tuple(Param(_text(p.get("name")), _text(p.get("kind")), "default" in p,
                           self._decode("signature", p["default"], arrays) if "default" in p
                           else None) for p in params)

    def _visible(self, op: str, folder: str) -> None:
        if self.sandbox and not any(folder == p or folder.startswith(p.rstrip(os.sep) + os.sep)
                                    for p in self.expose):
            raise ValueError(f"{op}: the sandbox shows the target only its own folder, and "
                             f"{folder} was not given; pass Worker(expose=({folder!r},))")

    # ------------------------------------------------------------ plumbing

    def _load(self, header: dict, class_name: str) -> dict:
        header = dict(header, class_name=class_name, api=self.api)
        reply, _ = self._call("load", header, timeout=self.load_timeout)
        return {k: _text(reply.get(k)) for k in ("module", "file", "qualname", "api")}

    def _decode(self, op: str, node, arrays) -> Any:
        try:
            return decode_value(node, arrays)
        except ValueError as exc:
            self._fail(op, "protocol", str(exc))

    def _call(self, op: str, header: dict, blobs: Blobs | None = None,
              timeout: float | None = None) -> tuple[dict, list]:
        if self._proc is None:
            raise RuntimeError("the Worker is not started: use `with Worker() as w:` or start()")
        if self._dead is not None:
            dead = self._dead
            raise WorkerFailure(dead.kind, op, f"the worker already stopped: {dead.message}",
                                dead.error, dead.exit_code, dead.output)
        self._seq += 1
        frame = pack(dict(header, op=op, seq=self._seq), blobs)
        return self._exchange(op, frame, self.timeout if timeout is None else timeout)

    def _exchange(self, op: str, frame: bytes | None, timeout: float):
        budget_end = self._started + self.total_timeout
        deadline = min(time.monotonic() + timeout, budget_end)
        try:
            if frame is not None:
                self._write(frame, deadline)
            payload = self._read_frame(deadline)
            reply, arrays = unpack(payload)
        except _ChannelError as exc:
            if exc.args[0] == "timeout":
                self._fail(op, "timeout", f"no reply within {timeout:g} s" if deadline < budget_end
                           else f"the run's total budget of {self.total_timeout:g} s ran out",
                           self._hung_at())
            if exc.args[0] == "bad":
                self._fail(op, "protocol", exc.args[1])
            code = self._wait_exit(1.0)
            if code is None:
                self._fail(op, "protocol", "the worker closed its channel but kept running")
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            self._fail(op, "exit", f"the worker process ended during {op} ({how})", exit_code=code)
        except ValueError as exc:
            self._fail(op, "protocol", str(exc))
        if frame is not None and reply.get("seq") != self._seq:
            self._fail(op, "protocol", "a reply out of sequence: something else wrote to it")
        if reply.get("ok") is True:
            return reply, arrays
        kind, error = reply.get("kind"), ErrorInfo.from_wire(reply.get("error"))
        if kind == "exit":
            code = self._wait_exit(1.0)
            self._fail(op, "exit", f"the target called sys.exit during {op}", error, code)
        if kind not in ("load", "crash", "memory", "protocol"):
            self._fail(op, "protocol", f"unknown failure kind {_text(kind, 50)}", error)
        messages = {"load": "importing the target failed",
                    "crash": f"the target raised during {op}",
                    "memory": f"the target ran out of memory during {op}",
                    "protocol": "the worker rejected the request"}
        self._fail(op, kind, messages[kind], error, fatal=op == "start")

    def _hung_at(self) -> ErrorInfo | None:
        """Where the worker is stuck: it dumps its threads' stacks (faulthandler) on SIGUSR1,
        from C, so even a loop that never returns to Python's bytecode shows its line."""
        pid = self.info.get("init_pid") or (self._proc.pid if self._proc else None)
        if not pid:
            return None
        try:
            os.kill(pid, signal.SIGUSR1)
        except OSError:
            return None
        data, end = b"", time.monotonic() + 0.5
        with selectors.DefaultSelector() as sel:
            sel.register(self._dump, selectors.EVENT_READ)
            while time.monotonic() < end and len(data) < 1 << 16:
                if not sel.select(0.05 if data else end - time.monotonic()):
                    if data:
                        break
                    continue
                try:
                    chunk = os.read(self._dump, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    break
                data += chunk
        frames = _dumped_frames(data.decode("utf-8", "replace"))
        return ErrorInfo("Timeout", "the call did not return", frames) if frames else None

    def _fail(self, op, kind, message, error=None, exit_code=None, fatal=None):
        if op == "start":  # whatever went wrong, the worker never became usable
            kind, message = "start", f"the worker did not start: {message}"
        fatal = kind in ("start", "timeout", "exit", "protocol") if fatal is None else fatal
        if fatal:
            self._kill()
        failure = WorkerFailure(kind, op, message, error, exit_code, self.output())
        if fatal:
            self._dead = failure
        raise failure

    def _write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        with selectors.DefaultSelector() as sel:
            sel.register(self._cmd, selectors.EVENT_WRITE)
            while view:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _ChannelError("timeout")
                if sel.select(remaining):
                    try:
                        view = view[os.write(self._cmd, view[:1 << 16]):]
                    except BlockingIOError:
                        pass
                    except OSError:  # EPIPE: the worker is gone
                        raise _ChannelError("eof") from None

    def _read_frame(self, deadline: float) -> bytes:
        (length,) = _LEN.unpack(self._read_exact(_LEN.size, deadline))
        if length > _MAX_REPLY:
            raise _ChannelError("bad", f"a reply claims {length} bytes")
        return self._read_exact(length, deadline)

    def _read_exact(self, n: int, deadline: float) -> bytes:
        buf = bytearray()
        with selectors.DefaultSelector() as sel:
            sel.register(self._reply, selectors.EVENT_READ)
            while len(buf) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    raise _ChannelError("timeout")
                chunk = os.read(self._reply, min(n - len(buf), 1 << 20))
                if not chunk:
                    raise _ChannelError("eof")
                buf += chunk
        return bytes(buf)

    def _streams(self):
        return zip((self._proc.stdout.fileno(), self._proc.stderr.fileno()), self._captures)

    def _drain(self) -> None:
        # A target printing gigabytes must neither block on a full pipe nor fill our memory.
        streams = dict(self._streams())
        with selectors.DefaultSelector() as sel:
            for fd in streams:
                os.set_blocking(fd, False)
                sel.register(fd, selectors.EVENT_READ)
            while streams and not self._stop.is_set():
                for key, _ in sel.select(0.1):
                    with self._lock:
                        try:
                            chunk = os.read(key.fd, 1 << 16)
                        except BlockingIOError:  # output() got there first
                            continue
                        streams[key.fd].feed(chunk)
                    if not chunk:
                        sel.unregister(key.fd)
                        del streams[key.fd]

    def _exited(self) -> bool:
        # WNOWAIT leaves the zombie in place, so its process group id cannot be reused
        # by an unrelated process before the final SIGKILL to the group (a forked worker's
        # template keeps it so until we release it).
        if isinstance(self._proc, Forked):
            return self._proc.exited()
        try:
            flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
            return os.waitid(os.P_PID, self._proc.pid, flags) is not None
        except ChildProcessError:
            return True

    def _wait_exit(self, seconds: float) -> int | None:
        """The exit code if the worker ends within ``seconds`` (then reaped), else None."""
        end = time.monotonic() + seconds
        while not self._exited():
            if time.monotonic() >= end:
                return None
            time.sleep(0.005)
        self._kill()
        return self._proc.returncode

    def _kill(self) -> None:
        """SIGTERM the worker's process group, SIGKILL it after a grace period, reap; then
        make sure the sandbox (everything the target started) is gone too."""
        if self._proc.returncode is not None:
            self._end_sandbox()
            return
        if not self._exited():
            _signal_group(self._proc.pid, signal.SIGTERM)
            end = time.monotonic() + _GRACE
            while not self._exited() and time.monotonic() < end:
                time.sleep(0.005)
        _signal_group(self._proc.pid, signal.SIGKILL)  # also whatever the target spawned
        try:
            self._proc.wait(5.0)
        except subprocess.TimeoutExpired:  # stuck in the kernel; nothing more to be done
            pass
        self._end_sandbox()

    def _end_sandbox(self) -> None:
        """Kill the sandbox's init and wait until it is gone: the kernel ends the init of a
        PID namespace only after every other process in it, however it detached."""
        if self._init_fd is None:
            return
        fd, self._init_fd = self._init_fd, None
        try:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        except OSError:  # already gone
            pass
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            sel.select(10.0)
        os.close(fd)
        for folder in getattr(self, "_cgroups", ()):  # empty now: every process is gone
            for _ in range(50):
                try:
                    os.rmdir(folder)
                    break
                except FileNotFoundError:
                    break
                except OSError:  # busy for a moment while the kernel lets go of them
                    time.sleep(0.01)


def start_template(preload: tuple[str, ...] = (), *, sandbox: bool = True,
                   python: str | None = None) -> Template:
    """A template (`_template`) that preloads NumPy and ``preload`` ("torch", "jax"), for
    `Worker` (template=...). It starts now and imports while the caller goes on; `close`
    it when done. Its environment is the one its workers get, so that what it imports
    reads the same settings as in a cold worker."""
    return Template(preload, python=python, env=worker_environment(sandbox),
                    extra_path=[_numpy_home()])


def _numpy_home() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(np.__file__)))


def worker_environment(sandbox: bool) -> dict[str, str]:
    env = _environment(os.environ) if sandbox else dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")  # BLAS thread pools reserve address space per thread
    return env


_ENV_KEPT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
             "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _environment(env: Mapping[str, str]) -> dict[str, str]:
    """What the target may see of the environment: nothing of the grader's (no tokens)."""
    kept = {k: env[k] for k in _ENV_KEPT if k in env}
    kept.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return kept


def _import_path(first: list[str]) -> list[str]:
    """The worker's ``sys.path`` for a file or text target: its own folder, then the
    checker's (``PYTHONPATH`` included; ``-I`` dropped it), but not the working folder,
    which for a grader is the folder of every submission."""
    here = os.getcwd()
    rest = [os.path.abspath(p) for p in sys.path if p and os.path.abspath(p) != here]
    return list(dict.fromkeys(first + rest))


def _python_paths(numpy_home: str) -> list[str]:
    """Python, its packages and the checker's own folder: what every worker needs to see.
    The working folder is left out (a grader runs from the folder of all submissions);
    a dotted target's worker is given it as its own."""
    here = os.getcwd()
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable)), os.path.dirname(sys.executable),
             numpy_home, os.path.dirname(WORKER_PATH)]
    paths += [p for p in sys.path if p and os.path.abspath(p) != here]
    shared = {os.sep, tempfile.gettempdir(), os.path.expanduser("~")}  # never whole
    return [p for p in dict.fromkeys(os.path.abspath(p) for p in paths) if p not in shared]


def _dumped_frames(dump: str) -> tuple[Frame, ...]:
    """The stack of the thread that runs the target, outermost first, from faulthandler's
    dump ("most recent call first"; the watcher thread, if any, sleeps in the worker)."""
    best: list[Frame] = []
    for block in dump.split("\n\n"):
        frames = []
        for line in block.splitlines():
            line = line.strip()
            if line.startswith('File "') and '", line ' in line:
                name, rest = line[6:].split('", line ', 1)
                if name == TEMPLATE_PATH:  # a warm worker's outermost frames: machinery
                    continue
                number, _, function = rest.partition(" in ")
                if number.strip().isdigit():
                    line_text = linecache.getline(name, int(number)).strip()
                    frames.append(Frame(name, int(number), function.strip(), line_text))
        if frames and not all(f.filename == WORKER_PATH for f in frames) and len(frames) > len(best):
            best = frames
    return tuple(reversed(best))


def _text(value, limit: int = 500) -> str:
    if value is None:
        return ""
    return value[:limit] if isinstance(value, str) else repr(value)[:limit]


def _names(data) -> dict[str, str]:
    return {_text(k, 200): _text(v, 200) for k, v in data.items()} if isinstance(data, dict) else {}


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _check_plain(name: str, value, numbers_only: bool = False) -> None:
    """Only values the wire carries exactly may be sent; anything else is the caller's bug."""
    if type(value) is float or isinstance(value, (np.ndarray, np.floating)) \
            and value.dtype.name in FLOAT_DTYPES:
        return
    if not numbers_only and (value is None or type(value) in (bool, int, str)):
        return
    if not numbers_only and type(value) in (tuple, list):  # betas=(0.9, 0.999)
        for i, item in enumerate(value):
            _check_plain(f"{name}[{i}]", item, numbers_only=True)
        return
    allowed = "a float16/32/64 numpy array or a Python float" if numbers_only else \
        "a float, int, bool, str, None or float16/32/64 numpy value"
    dtype = f" of {value.dtype}" if isinstance(value, np.ndarray) else ""
    raise TypeError(f"{name} must be {allowed}, got {type(value).__name__}{dtype}; "
                    "convert it, e.g. with np.asarray(value, dtype=np.float64)")


def _check_tree(name: str, tree) -> None:
    if not isinstance(tree, Mapping):
        raise TypeError(f"{name} must be a dict of numpy float arrays, got {type(tree).__name__}")
    for key, value in tree.items():
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str, got {key!r}; name each parameter")
        _check_plain(f"{name}[{key!r}]", value, numbers_only=True)


def _same_bits(sent, got) -> bool:
    if type(sent) is float:
        return type(got) is float and sent.hex() == got.hex()
    if not isinstance(got, (np.ndarray, np.generic)):
        return False
    sent, got = np.asarray(sent), np.asarray(got)
    return sent.dtype == got.dtype and sent.shape == got.shape and sent.tobytes() == got.tobytes()
