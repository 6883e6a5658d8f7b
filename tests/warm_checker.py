"""A warm ``python -m checker``: imports the checker once, then forks one run per request.

`tests/test_corpus.py` judges some 250 files, and `tests/test_checker_cli.py` makes some
90 runs, each ``python -m checker ARGS``.  A cold interpreter spends about a second of
CPU importing SymPy, Hypothesis and the spec, and compiling the spec's error bounds,
before it judges anything, the same second for every run.  This process pays it once:
it imports what ``python -m checker`` imports, and then, for each request, forks a child
that *is* that command from there on, with nothing of any other run:

- the child starts a session of its own (so that a run that hangs is killed with all it
  started, as the test did with ``start_new_session``), reads /dev/null, writes its
  stdout and stderr to the request's files, gets ``sys.argv`` as ``python -m checker``
  sets it, returns out of `serve` and ends through ``sys.exit(main(argv))`` as
  ``checker/__main__.py`` does: the interpreter's own shutdown (threads joined, atexit
  handlers, streams flushed) and its exit code;
- this process runs no check, so a child inherits no state of another entry (no
  template, no worker, no report); what it does inherit beyond the imports are the
  spec's compiled kernels and error bounds of every variant, and its list of
  mistaken rules (`_compile_spec`), pure functions of the spec that every run would otherwise compile
  again (a few tenths of a second each, several per run); NumPy's global random state
  is reseeded from the OS in each child, as a fresh import would;
- it is single-threaded when it forks, and stays outside the children's sessions.

With ``--templates`` (`WarmChecker(templates=True)`), it also keeps the templates the
runs fork their workers from (`TEMPLATES`).

Protocol, one JSON object a line: on stdin ``{"id", "argv", "cwd", "out", "err",
"limit", "shared"}`` (``shared``: false for a run that starts its own templates); on
stdout ``{"id", "code", "elapsed", "pid"}`` once the child has ended,
``code`` None when it was killed (SIGKILL to its process group) after ``limit`` seconds,
``pid`` the child's (the checker's pid: its workers' command lines name it).  End of
file on stdin: it waits for the children still running, then exits.

`WarmChecker` is the tests' side: it starts this file and sends it command lines.
`check_warm` does for a `checker.check` in the test's own process what ``--templates``
does for a run.  The cold path (a fresh ``python -m checker``) stays covered by the runs
the tests make themselves with `subprocess` (`tests/test_checker_cli.py` keeps some cold
on purpose).
"""

from __future__ import annotations

import gc
import concurrent.futures
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

CHECKER_MAIN = None  # checker/__main__.py, for sys.argv[0]


def _warm() -> None:
    """Import what ``python -m checker TARGET --json PATH`` imports, and nothing more."""
    global CHECKER_MAIN
    import checker.__main__ as entry  # noqa: F401  (the package, its _cli)
    import checker._check  # noqa: F401  (SymPy, Hypothesis, the spec)
    import checker._report  # noqa: F401
    import checker._session  # noqa: F401

    CHECKER_MAIN = os.path.abspath(entry.__file__)


def _compile_spec() -> None:
    """Fill the spec's caches of compiled code: for every variant, its oracle kernels
    (mpmath and MPFR), its error bound (mpmath and MPFR) and its named mistakes.
    Each is an `functools.lru_cache` of a pure function of the rule: a run finds there
    exactly what it would have compiled itself."""
    import spec
    from spec import bound, oracle
    from spec.mistakes import mistakes_for

    for family in spec.families():
        for rule in family.variants:
            prec = oracle.Oracle(rule).prec
            bound.compiled(rule)
            oracle._bound_mpfr(rule)
            mistakes_for(rule)  # the mistaken rules themselves (their kernels: on use)
            oracle.specialiser(rule)
            oracle._bound_step(rule, prec)
            oracle._bound_fast(rule, prec)


#: (key, template): with ``--templates``, templates this process started, one per set of
#: preloads a corpus entry needs (NumPy; NumPy and torch), shared by the runs: each run is
#: handed a connection of its own to each (`checker._template.Template.client`) as the
#: template its check would have prestarted.  A template runs no target code, and each
#: worker is still a fresh fork of it, so a run inherits nothing of another; what the runs
#: no longer pay is a template's start (NumPy: 0.2 s of CPU; torch: 1.5 s or more) each.
TEMPLATES: list = []


def _start_templates() -> list:
    import importlib.util

    from checker._isolation import start_template
    from checker._session import template_key

    wanted = [()] + ([("torch",)] if importlib.util.find_spec("torch") else [])
    return [(template_key(preload, True), start_template(preload, sandbox=True))
            for preload in wanted]


def _clients() -> list:
    """A connection of its own to each shared template, for the run about to be forked."""
    from checker._template import TemplateUnavailable

    out = []
    for key, template in TEMPLATES:
        try:
            out.append((key, template.client(120.0)))
        except TemplateUnavailable:  # the run starts its own, as it would anyway
            pass
    return out


def _child(request: dict, keep: list[int], clients: list) -> list[str]:
    """In the forked child: become the command; return its arguments."""
    os.setsid()
    for fd in keep:
        os.close(fd)
    if TEMPLATES:
        import atexit

        from checker import _session

        for _, template in TEMPLATES:
            template.abandon()
        _session._PRESTARTED.update(clients)  # as `prestart` would have started them
        atexit.register(_session._close_prestarted)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    err = os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for fd, target in ((null, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    sys.path[0] = os.getcwd()  # what ``python -m`` puts first
    sys.argv = [CHECKER_MAIN, *request["argv"]]
    if "numpy" in sys.modules:  # as a fresh import would be: seeded from the OS
        sys.modules["numpy"].random.seed()
    return list(request["argv"])


def serve() -> list[str] | None:
    """Serve requests; returns the arguments in a forked child, None when stdin ends."""
    sel = selectors.DefaultSelector()
    sel.register(0, selectors.EVENT_READ, None)
    running: dict[int, dict] = {}  # pid -> {"id", "fd", "start", "deadline", "killed"}
    buffer, stdin_open = b"", True

    def reply(message: dict) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(1, data):]

    while stdin_open or running:
        now = time.monotonic()
        for pid, run in running.items():  # the limit: the whole process group, once
            if not run["killed"] and now >= run["deadline"]:
                try:
                    os.killpg(pid, signal.SIGKILL)  # not reaped yet: the pid is still its
                except ProcessLookupError:
                    pass
                run["killed"] = True
        deadlines = [r["deadline"] for r in running.values() if not r["killed"]]
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        for key, _ in sel.select(timeout):
            if key.fd == 0:
                chunk = os.read(0, 1 << 16)
                if not chunk:
                    stdin_open = False
                    sel.unregister(0)
                    continue
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    request = json.loads(line)
                    clients = _clients() if request.get("shared", True) else []
                    pid = os.fork()
                    if pid == 0:
                        sel.close()
                        return _child(request, [r["fd"] for r in running.values()], clients)
                    for _, client in clients:
                        client.close()  # the child's copy is the connection now
                    fd = os.pidfd_open(pid)
                    sel.register(fd, selectors.EVENT_READ, pid)
                    running[pid] = {"id": request["id"], "fd": fd, "start": time.monotonic(),
                                    "deadline": time.monotonic() + float(request["limit"]),
                                    "killed": False}
            else:
                pid = key.data
                run = running.pop(pid)
                sel.unregister(run["fd"])
                os.close(run["fd"])
                _, status = os.waitpid(pid, 0)
                code = None if run["killed"] else os.waitstatus_to_exitcode(status)
                reply({"id": run["id"], "code": code,
                       "elapsed": time.monotonic() - run["start"], "pid": pid})
    return None


_IN_PROCESS: dict = {}  # preload -> the template `check_warm` keeps, until `close_warm`


def check_warm(target: str, **options):
    """`checker.check`, its workers forked from a template this test process keeps for
    what the target needs (NumPy; torch; JAX), through a connection of its own
    (`Template.client`), as ``tests/warm_checker.py`` does for the command-line runs: a
    check of ``torch.optim.Adam`` does not import torch again in a template of its own.
    The template runs no target code; each worker is still a fresh fork of it.  A module
    that uses it closes the templates when its tests are done (the ``warm_checks``
    fixture): other modules look for processes left behind."""
    import checker
    from checker import _session
    from checker._isolation import start_template

    key = _session.template_key_for(target, api=options.get("api"),
                                    sandbox=options.get("sandbox", True))
    if key is not None:
        if key[0] not in _IN_PROCESS:
            _IN_PROCESS[key[0]] = start_template(key[0], sandbox=key[1])
        try:
            _session._PRESTARTED[key] = _IN_PROCESS[key[0]].client(120.0)
        except Exception:  # noqa: BLE001 - it starts its own, as any check does
            pass
    try:
        return checker.check(target, **options)
    finally:
        left = _session._PRESTARTED.pop(key, None) if key is not None else None
        if left is not None:
            left.close()


def close_warm() -> None:
    """Close the templates `check_warm` keeps."""
    while _IN_PROCESS:
        _IN_PROCESS.popitem()[1].close()


class Run(NamedTuple):
    """One run's end: exit code (None: killed), stdout, stderr, seconds, pid."""

    code: int | None
    stdout: str
    stderr: str
    elapsed: float
    pid: int


class WarmChecker:
    """This file, started from the repository's root with ``env``; `run` sends it one
    command line and waits for that run's end."""

    def __init__(self, folder: Path, env: dict[str, str], templates: bool = False):
        self._log = open(folder / "warm_checker.err", "wb")
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__)]
                                     + (["--templates"] if templates else []),
                                     cwd=Path(__file__).resolve().parents[1], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._log)
        self._lock = threading.Lock()
        self._waiting: dict[int, concurrent.futures.Future] = {}
        self._next = 0
        self._reader = threading.Thread(target=self._read, name="warm-checker", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            message = json.loads(line)
            with self._lock:
                future = self._waiting.pop(message["id"])
            future.set_result((message["code"], message["elapsed"], message["pid"]))
        with self._lock:  # it ended: no run still waiting may wait forever
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(RuntimeError(
                f"tests/warm_checker.py ended (exit {self.proc.wait()}); see its stderr in "
                f"{self._log.name}"))

    def run(self, argv: list[str], cwd: Path, output: Path, limit: float,
            shared: bool = True) -> Run:
        """``python -m checker ARGV`` in ``cwd``, its stdout and stderr kept in ``output``
        with .out and .err added to its name; what it printed, its exit code (None: killed after
        ``limit`` seconds), its seconds and its pid.  ``shared``: its workers fork from the
        templates this process keeps, if it keeps any; False: from its own, as a cold run's
        (their command lines then name the run's pid)."""
        out, err = (output.with_name(output.name + suffix) for suffix in (".out", ".err"))
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._lock:
            self._next += 1
            self._waiting[self._next] = future
            request = {"id": self._next, "argv": argv, "cwd": str(cwd), "out": str(out),
                       "err": str(err), "limit": limit, "shared": shared}
            try:
                self.proc.stdin.write((json.dumps(request) + "\n").encode())
                self.proc.stdin.flush()
            except OSError as e:
                self._waiting.pop(self._next)
                raise RuntimeError(f"tests/warm_checker.py does not take requests: {e}")
        code, elapsed, pid = future.result()
        return Run(code, out.read_text(errors="replace"), err.read_text(errors="replace"),
                   elapsed, pid)

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()
        self._reader.join()
        self._log.close()


if __name__ == "__main__":
    sys.path[0] = os.getcwd()  # started from the repository's root, as ``python -m`` is
    _warm()
    if os.environ.get("WARM_CHECKER_IMPORTS_ONLY") != "1":  # 1: imports only (to compare)
        _compile_spec()
    gc.freeze()  # as the checker does after its imports; and no child copies them collecting
    if "--templates" in sys.argv[1:]:
        TEMPLATES[:] = _start_templates()
    argv = serve()
    if argv is None:
        for _, template in TEMPLATES:
            template.close()
        sys.exit(0)
    from checker._cli import main

    sys.exit(main(argv))
