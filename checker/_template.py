"""Warm workers: a template process imports NumPy (and torch or JAX) once, then forks a
fresh worker for each target and each fresh-process experiment.

Where it sits, beside what a cold worker is (``_sandbox`` describes A and B)::

    checker ── template (T)    python -I _template.py: numpy, torch, the worker's own code;
                 │             runs no target code, host namespaces, one thread
                 └── worker (W, forked per target: its own session, pipes, environment,
                       │      then the cold worker's ``serve``: the sandbox as today)
                       └── supervisor (A) ── init (B) ── the target, and all it starts

Why there, and not elsewhere:

- Not the checker forking itself: the checker has threads (output drainers, Hypothesis),
  has the expected answers in memory (a fork would hand them to the target), and would
  have to import torch. T is started with ``-I`` and holds nothing but imported modules:
  a fork request carries the worker's limits, the folders the sandbox shows, its working
  folder, its environment and five descriptors; never a target, a problem or a value.
- Not inside a sandbox: each target needs a sandbox of its own, built fresh (PID, mount,
  network, IPC and UTS namespaces, a uid of its own, a private /tmp, its cgroups), so that
  nothing of one target is there for the next; children of a template inside a PID
  namespace would all share it. And a process that unshared a PID namespace can no longer
  start threads, nor (as a user) enter a user namespace once it has any.
- So T stays outside every namespace and forks W, which then is a cold worker in all but
  its start: single-threaded (a fork copies only the thread that forks), it calls the
  same ``_worker.serve``, which forks A, which unshares and forks B, exactly as today.

A fork copies only the calling thread, and the locks other threads held stay held: T
counts its threads once its imports are done (torch with one OpenMP thread starts none)
and refuses to serve if there is more than one; so does a kernel without pidfds. The
checker then starts its workers cold, and the report says why.

What a worker inherits from T is what a cold worker would have after the same imports,
except three things it shares with the other forks of its template: NumPy's global
random state (reseeded from the OS in each fork, as a fresh import would be), Python's
``random`` (reseeded by Python at every fork), and the hash seed of str (fixed when the
interpreter starts: the same in every worker of one check).

Lifetime: one template per check (`Session`), closed with it.  A process that forks many
``python -m checker`` runs of its own (the tests' `tests/warm_checker.py`) may keep
templates and hand each run a connection of its own (`Template.client`): the run's
workers end when that connection closes (the run ends, or dies), the template does not.
T also ends when the checker dies (end of file on its control socket, or a new parent),
killing the workers it forked first; a worker ends when T does (it watches its parent,
as a cold worker watches the checker). A worker that crashes or is killed is one child among others:
T reports its exit status on that worker's own status socket and reaps it only when the
checker closes that socket, so its pid, and its process group, cannot be reused while
the checker may still signal them.
"""

from __future__ import annotations

import gc
import json
import os
import re
import select
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time

TEMPLATE_PATH = os.path.abspath(__file__)
FRAMEWORKS = {"torch": "torch", "jax": "jax", "optax": "jax", "flax": "jax", "keras": "jax"}  # import -> preload
_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\b|import\s+([\w., ]+))", re.MULTILINE)
_ORPHANED = 70  # what a worker exits with when its parent is gone (``_worker``, ``_sandbox``)
_MAX_MESSAGE = 1 << 20
_DONE = object()  # the end of `Template.wait_doing`'s work


def frameworks_in(source: str) -> tuple[str, ...]:
    """The frameworks worth preloading that ``source`` imports: ("torch",), ("jax",), ()."""
    found = set()
    for match in _IMPORT.finditer(source or ""):
        names = [match.group(1)] if match.group(1) else match.group(2).split(",")
        for name in names:
            top = name.strip().split(" ")[0].split(".")[0]
            if top in FRAMEWORKS:
                found.add(FRAMEWORKS[top])
    return tuple(sorted(found))


class TemplateUnavailable(Exception):
    """The template cannot fork a worker; the message says why (start cold instead)."""


# ---------------------------------------------------------------- the checker's side


class Template:
    """The checker's handle on one template process. Thread-safe; `fork` waits for it to
    be ready (its imports done) and raises `TemplateUnavailable` if it never is."""

    def __init__(self, preload: tuple[str, ...] = (), *, python: str | None = None,
                 env: dict[str, str] | None = None, extra_path: list[str] = ()) -> None:
        self.preload = tuple(dict.fromkeys(preload))
        self.loaded: tuple[str, ...] = ()  # what it imported, once ready
        self.pid: int | None = None
        self._lock = threading.Lock()
        self._ready, self._why, self._client = False, None, False
        self._sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # "parent_pid" first, as in a worker's command line: the tests find every process
        # started for a checker by it, and a fork keeps its parent's command line
        config = {"parent_pid": os.getpid(), "extra_path": list(extra_path),
                  "preload": list(self.preload)}
        try:
            self._proc = subprocess.Popen(
                [python or sys.executable, "-I", TEMPLATE_PATH, str(theirs.fileno()),
                 json.dumps(config)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),), start_new_session=True,
                cwd="/", env=env)
            self.pid = self._proc.pid
        except OSError as e:
            self._proc, self._why = None, f"the template did not start: {e}"
            self._sock.close()
        finally:
            theirs.close()

    @property
    def why(self) -> str | None:
        """Why it cannot serve, once that is known; None while it can (or may yet)."""
        return self._why

    def ready(self, timeout: float) -> tuple[str, ...]:
        """Wait until its imports are done; the modules it preloaded."""
        with self._lock:
            self._await(timeout)
            return self.loaded

    def wait_doing(self, work, timeout: float) -> None:
        """While it imports, do the caller's own ``work``, an iterator run one step at a
        time (compiling what the check will need), until the template is ready or
        ``timeout`` passes; what is left of ``work`` is not done here.  Single-threaded:
        the work runs in the caller's thread, between looks at the template's socket."""
        end = time.monotonic() + timeout
        work = iter(work)
        while not (self._ready or self._why) and time.monotonic() < end:
            try:
                if select.select([self._sock], [], [], 0)[0]:
                    return  # it said something (ready, or why not): `fork` reads it
            except (OSError, ValueError):
                return
            if next(work, _DONE) is _DONE:
                return

    def fork(self, config: dict, *, cwd: str, env: dict[str, str], fds: tuple[int, int, int],
             timeout: float) -> Forked:
        """A fresh worker that runs ``_worker.serve`` with these pipes (command, reply,
        stack dump) and this config; its stdout and stderr are new pipes, read here."""
        with self._lock:
            self._await(timeout)
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            status, child_status = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            request = {"op": "fork", "config": config, "cwd": cwd, "env": env}
            try:
                self._sock.settimeout(timeout)
                socket.send_fds(self._sock, [json.dumps(request).encode()],
                                [*fds, out_w, err_w, child_status.fileno()])
                reply = self._receive(timeout)
            except OSError as e:
                reply = f"the fork request failed: {e}"
            finally:
                os.close(out_w)
                os.close(err_w)
                child_status.close()
            if not isinstance(reply, dict) or type(reply.get("pid")) is not int:
                for fd in (out_r, err_r):
                    os.close(fd)
                status.close()
                self._give_up(reply.get("error", "no pid") if isinstance(reply, dict) else reply)
            return Forked(reply["pid"], status, out_r, err_r)

    def client(self, timeout: float) -> "Template":
        """Another handle on this template, with a connection of its own, for another
        process: a ``python -m checker`` that a long-lived process forks for each run
        (`tests/warm_checker.py`), so that the runs do not each import NumPy and torch
        again.  The template still runs no target code, and each worker is a fresh fork
        of it; closing the handle ends the workers forked through it, not the template.
        The handle is for one process: pass it on by fork, and close it in the other."""
        with self._lock:
            self._await(timeout)
            try:
                self._sock.settimeout(timeout)
                self._sock.send(json.dumps({"op": "client"}).encode())
                data, fds, _, _ = socket.recv_fds(self._sock, _MAX_MESSAGE, 1)
            except OSError as e:
                self._give_up(f"the client request failed: {e}")
            if len(fds) != 1 or not data:
                for fd in fds:
                    os.close(fd)
                self._give_up("no connection for a client")
        other = object.__new__(Template)
        other.preload, other.loaded, other.pid = self.preload, self.loaded, self.pid
        other._lock = threading.Lock()
        other._ready, other._why = True, None
        other._sock, other._proc, other._client = socket.socket(fileno=fds[0]), None, True
        return other

    def abandon(self) -> None:
        """In a process forked from the one that holds this handle: close this process's
        copy of the connection, and nothing else (the holder still uses it)."""
        self._why = self._why or "abandoned"
        self._proc = None
        self._sock.close()

    def close(self) -> None:
        """End the template and every worker it forked; safe to call twice.  A `client`
        handle closes its connection only: the workers forked through it end."""
        with self._lock:
            self._why = self._why or "the template was closed"
            self._stop()

    # -- plumbing

    def _await(self, timeout: float) -> None:
        if self._why:
            raise TemplateUnavailable(self._why)
        if self._ready:
            return
        hello = self._receive(timeout)
        if not isinstance(hello, dict):
            self._give_up(hello)
        if hello.get("ready") is not True:
            self._give_up(str(hello.get("why"))[:500])
        self.loaded = tuple(str(m) for m in hello.get("loaded") or ())
        self._ready = True

    def _receive(self, timeout: float) -> dict | str:
        """The next message, or why none came (a str)."""
        end = time.monotonic() + timeout
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                return f"no answer within {timeout:g} s"
            self._sock.settimeout(remaining)
            try:
                data = self._sock.recv(_MAX_MESSAGE)
            except socket.timeout:
                continue
            except OSError as e:
                return f"its socket failed: {e}"
            if not data:
                code = self._proc.poll() if self._proc else None
                return "it ended" + (f" (exit code {code})" if code is not None else "")
            try:
                message = json.loads(data)
            except ValueError:
                return "it sent garbage"
            return message if isinstance(message, dict) else "it sent garbage"

    def _give_up(self, why: str):
        self._why = f"the template cannot fork workers: {why}"
        self._stop()
        raise TemplateUnavailable(self._why)

    def _stop(self) -> None:
        if self._client:
            self._sock.close()
            return
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        try:  # it kills and reaps its workers on the way out
            self._sock.settimeout(1.0)
            self._sock.send(json.dumps({"op": "close"}).encode())
        except OSError:
            pass
        self._sock.close()
        try:
            proc.wait(5.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Forked:
    """A worker the template forked, with the part of `subprocess.Popen` a `Worker` uses,
    plus `exited` (without reaping: that is the template's, once we `release` it)."""

    def __init__(self, pid: int, status: socket.socket, out_r: int, err_r: int) -> None:
        self.pid, self.returncode = pid, None
        self.stdout, self.stderr = open(out_r, "rb", buffering=0), open(err_r, "rb", buffering=0)
        self._status: socket.socket | None = status
        self._status.setblocking(False)
        self._code: int | None = None
        try:  # only for a template that died: its worker is then not ours to wait for
            self._pidfd: int | None = os.pidfd_open(pid)
        except OSError:
            self._pidfd = None

    def exited(self) -> bool:
        if self._code is not None or self.returncode is not None:
            return True
        if self._status is None:
            return False
        try:
            data = self._status.recv(64)
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        if data:
            try:
                self._code = int(data)
            except ValueError:
                self._code = _ORPHANED
            return True
        # the template is gone, so nobody will say: the worker, orphaned, ends by itself
        if self._pidfd is None or select.select([self._pidfd], [], [], 0)[0]:
            self._code = _ORPHANED
            return True
        return False

    def poll(self) -> int | None:
        return self._code if self.exited() else None

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while not self.exited():
            if end is not None and time.monotonic() >= end:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout)
            time.sleep(0.005)
        self.returncode = self._code
        self.release()
        return self.returncode

    def release(self) -> None:
        """Let the template reap it (and kill it first if it still runs)."""
        if self._status is not None:
            self._status.close()
            self._status = None
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None


# ---------------------------------------------------------------- the template's side


def _preload(worker, name: str) -> None:
    import importlib

    if name == "torch":
        worker._warm_torch()  # import torch, and what its first optimizer imports (dynamo)
    elif name == "jax":
        importlib.import_module("jax")
        importlib.import_module("jax.numpy")  # no computation: XLA's backend starts threads
    else:
        raise ValueError(f"nothing known to preload as {name!r}")


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class _Child:
    def __init__(self, pid: int, status: socket.socket, owner: socket.socket) -> None:
        self.pid, self.status, self.code, self.released = pid, status, None, False
        self.owner = owner  # the control connection that asked for it
        self.pidfd = os.pidfd_open(pid)

    def close(self) -> None:
        self.status.close()
        os.close(self.pidfd)


def _become_worker(worker, np, request: dict, fds: list[int], sync_w: int, keep: list) -> None:
    """In the fork: drop everything of the template's, then be a cold worker. Never returns."""
    try:
        cmd_r, reply_w, dump_w, out_w, err_w, status = fds
        os.setsid()  # its own process group, so the checker can end all it starts, as cold
        os.write(sync_w, b"1")
        os.close(sync_w)
        for thing in keep:  # the control socket, the selector, the other workers' sockets
            thing.close()
        os.close(status)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        for fd in (devnull, out_w, err_w):
            os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        np.random.seed()  # NumPy's global state from the OS, as a fresh import would have it
        config = dict(request["config"], parent_pid=os.getppid(), dump_fd=dump_w)
        sys.argv = [worker.__file__]
        worker.serve(cmd_r, reply_w, config)
    except BaseException:  # noqa: BLE001 - the checker sees the exit and this on stderr
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(71)


def _exit_code(pid: int) -> int:
    info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    if info is None:
        return _ORPHANED
    return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status


def _serve(ctl: socket.socket, worker, np, parent: int) -> None:
    sel = selectors.DefaultSelector()
    sel.register(ctl, selectors.EVENT_READ, ("control", ctl))
    controls = [ctl]  # the checker's, then one per `Template.client`
    children: dict[int, _Child] = {}

    def reap(child: _Child) -> None:
        os.waitpid(child.pid, 0)
        child.close()
        del children[child.pid]

    def release(child: _Child) -> None:  # nobody waits for it now: end it, reap it once ended
        sel.unregister(child.status)
        child.released = True
        if child.code is None:
            _kill_group(child.pid)  # reaped when its exit comes
        else:
            reap(child)

    while os.getppid() == parent:
        for key, _ in sel.select(0.5):
            what, child = key.data
            if what == "control":
                conn = child
                try:
                    data, fds, _, _ = socket.recv_fds(conn, _MAX_MESSAGE, 8)
                except OSError:
                    data, fds = b"", []
                try:
                    request = json.loads(data) if data else {"op": "close"}
                except ValueError:
                    request = {"op": "close"}
                op = request.get("op") if isinstance(request, dict) else None
                if op == "client" and conn is ctl and not fds:
                    # another process's own connection: the workers forked through it
                    # end when it closes, the template does not
                    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                    controls.append(ours)
                    sel.register(ours, selectors.EVENT_READ, ("control", ours))
                    socket.send_fds(ctl, [json.dumps({"client": True}).encode()],
                                    [theirs.fileno()])
                    theirs.close()
                    continue
                if op != "fork" or len(fds) != 6:
                    for fd in fds:
                        os.close(fd)
                    if conn is ctl:
                        return _shutdown(children)
                    # a client gone (or misbehaving): end what it started, keep serving
                    sel.unregister(conn)
                    controls.remove(conn)
                    conn.close()
                    for other in list(children.values()):
                        if other.owner is conn and not other.released:
                            release(other)
                    continue
                sync_r, sync_w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(sync_r)
                    _become_worker(worker, np, request, fds, sync_w,
                                   [sel, *controls, *(c for c in children.values())])
                os.close(sync_w)
                os.read(sync_r, 1)  # its setsid is done: its process group exists
                os.close(sync_r)
                for fd in fds[:5]:
                    os.close(fd)
                child = children[pid] = _Child(pid, socket.socket(fileno=fds[5]), conn)
                sel.register(child.pidfd, selectors.EVENT_READ, ("exit", child))
                sel.register(child.status, selectors.EVENT_READ, ("status", child))
                conn.send(json.dumps({"pid": pid}).encode())
            elif what == "exit":  # told, not reaped: the checker may still signal its group
                sel.unregister(child.pidfd)
                child.code = _exit_code(child.pid)
                try:
                    child.status.send(str(child.code).encode())
                except OSError:
                    pass
                if child.released:
                    reap(child)
            else:  # the checker closed the status socket: it is done with this worker
                try:
                    more = child.status.recv(64)
                except OSError:
                    more = b""
                if more:
                    continue
                release(child)
    _shutdown(children)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _shutdown(children: dict) -> None:
    for child in children.values():
        _kill_group(child.pid)
    end = time.monotonic() + 5.0
    for child in children.values():
        while time.monotonic() < end:
            try:
                if os.waitpid(child.pid, os.WNOHANG)[0]:
                    break
            except ChildProcessError:
                break
            time.sleep(0.005)


def _sibling(name: str):
    """checker/<name>.py by path, under the name ``_worker`` gives its siblings."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"_checker{name}", os.path.join(os.path.dirname(TEMPLATE_PATH), f"{name}.py"))
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> None:
    ctl = socket.socket(fileno=int(argv[1]))
    try:
        config = json.loads(argv[2])
        parent = config["parent_pid"]
        sys.dont_write_bytecode = True
        for p in config.get("extra_path") or ():
            if isinstance(p, str) and p not in sys.path:
                sys.path.append(p)
        import numpy as np

        # the worker's own code, ready for every fork (and for the checker's `serve`)
        worker = _sibling("_worker")
        worker._sibling("_sandbox")._c()
        worker._sibling("_apis")
        import faulthandler  # noqa: F401 - imported by every worker
        import resource  # noqa: F401

        loaded, failed = ["numpy"], {}
        for name in config.get("preload") or ():
            try:
                _preload(worker, name)
                loaded.append(name)
            except BaseException as e:  # noqa: BLE001 - the worker will fail the same way
                failed[name] = f"{type(e).__name__}: {e}"[:300]
        gc.freeze()  # the imports, shared by every fork: no collection touches (copies) them
        sys.stdout.flush()
        sys.stderr.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
        threads = _threads()
        if threads != 1:
            why = f"it has {threads} threads after importing {', '.join(loaded)}, and a fork " \
                  "copies only one"
        elif not hasattr(os, "pidfd_open") or not hasattr(socket, "send_fds"):
            why = "this Python or kernel has no pidfds or descriptor passing"
        else:
            why = None
        ctl.send(json.dumps({"ready": why is None, "why": why, "pid": os.getpid(),
                             "loaded": loaded, "failed": failed}).encode())
    except BaseException as e:  # noqa: BLE001 - said to the checker, which starts cold
        try:
            ctl.send(json.dumps({"ready": False, "why": f"{type(e).__name__}: {e}"[:500]})
                     .encode())
        except OSError:
            pass
        os._exit(1)
    if why is None:
        _serve(ctl, worker, np, parent)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
