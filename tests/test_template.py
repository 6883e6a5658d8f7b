"""Warm workers (`checker._template`): forked from a template that imported NumPy (and
torch) once, each still a process of its own in a sandbox of its own.

A worker sees nothing a previous target left; a worker that crashes or is killed leaves
the template serving; the template never outlives its session nor the checker; a
template that cannot serve means cold workers, said in the report. And the hostile
cases of ``test_checker_isolation`` hold for warm workers as they do for cold ones.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import test_checker_isolation as iso

from checker._isolation import Worker, WorkerFailure, start_template
from checker._session import Loader, Session
from checker._template import Template, frameworks_in

REPO = Path(__file__).resolve().parents[1]

@pytest.fixture(scope="module")
def template():
    t = start_template()
    t.ready(60.0)
    yield t
    t.close()


def alive(pid: int) -> bool:
    return not iso.gone(pid)


def started_for(pid: int) -> list[int]:
    """Live processes whose command line names this checker pid (templates, workers)."""
    return iso.processes_with(f'"parent_pid": {pid},')


def load(w: Worker, source: str, cls: str = "Probe") -> int:
    w.load_source(textwrap.dedent(source), "probe.py", cls)
    return w.construct()


# ------------------------------------------------------------------ nothing left over

LEAVE = """
import builtins, json, os, sys
import numpy as np

np.leaked = json.leaked = builtins.leaked = True
sys.modules["leaked_module"] = json
os.environ["LEAKED"] = "1"
np.seterr(all="raise")
np.random.seed(1234)
with open("/tmp/leaked", "w") as f:
    f.write("x")

class Probe:
    def __init__(self):
        self.draw = float(np.random.rand())
"""

LOOK = """
import builtins, json, os, sys
import numpy as np

class Probe:
    def __init__(self):
        found = [name for name, there in [
            ("np.leaked", hasattr(np, "leaked")), ("json.leaked", hasattr(json, "leaked")),
            ("builtins.leaked", hasattr(builtins, "leaked")),
            ("sys.modules", "leaked_module" in sys.modules), ("environ", "LEAKED" in os.environ),
            ("seterr", np.geterr()["divide"] == "raise"), ("/tmp", os.path.exists("/tmp/leaked")),
            ("probe module", any(m.startswith("probe") and m != __name__ for m in sys.modules))]
            if there]
        self.found = ",".join(found)
        self.draw = float(np.random.rand())
"""


def test_a_fresh_fork_sees_nothing_a_previous_target_left(template):
    with Worker(timeout=5.0, template=template) as first:
        inst = load(first, LEAVE)
        leaver_draw, leaver_pid = first.get_attr(inst, "draw"), first.pid
    with Worker(timeout=5.0, template=template) as second:
        inst = load(second, LOOK)
        assert second.get_attr(inst, "found") == ""
        assert second.pid != leaver_pid and second.info["warm"] == "numpy"
        draws = {second.get_attr(inst, "draw")}
    with Worker(timeout=5.0, template=template) as third:  # NumPy reseeded in each fork
        draws.add(third.get_attr(load(third, LOOK), "draw"))
    assert len(draws | {leaver_draw}) == 3


def test_a_forked_worker_is_sandboxed_like_a_cold_one(template):
    source = f"""
import os

class Probe:
    def __init__(self):
        try:
            os.kill({template.pid}, 0)
            self.template = "reachable"
        except ProcessLookupError:
            self.template = "invisible"
        self.uid, self.pids = os.getuid(), len([p for p in os.listdir("/proc") if p.isdigit()])
"""
    with Worker(timeout=5.0) as cold:
        want = cold.info["sandbox"]
    with Worker(timeout=5.0, template=template) as warm:
        inst = load(warm, source)
        said = warm.info["sandbox"]
        uid, pids = warm.get_attr(inst, "uid"), warm.get_attr(inst, "pids")
        seen = warm.get_attr(inst, "template")
    if not want.startswith("namespaces"):
        pytest.skip(f"no sandbox here: {want}")
    assert said.split("; uid")[0] == want.split("; uid")[0]
    assert seen == "invisible" and pids <= 2 and uid not in (0, os.getuid())


# ------------------------------------------------------------------ crashes and kills


@pytest.mark.parametrize("body, code", [
    ("import os\nos._exit(3)", 3),
    ("import ctypes\nctypes.string_at(0)", -signal.SIGSEGV),
], ids=["os-exit", "segfault"])
def test_a_dying_worker_leaves_the_template_serving(template, body, code):
    with Worker(timeout=5.0, template=template) as w:
        w.load_source(iso.make(body), "t.py", "Opt")
        with pytest.raises(WorkerFailure) as info:
            w.update(w.construct(), iso.tree([1.0]), iso.tree([1.0]))
    assert (info.value.kind, info.value.exit_code) == ("exit", code)
    assert alive(template.pid)
    result, _ = iso.run_update(iso.SGD, iso.tree([1.0]), iso.tree([1.0]), template=template)
    np.testing.assert_allclose(result.params["p0"], [0.9])


def test_a_worker_killed_from_outside_leaves_the_template_serving(template):
    with Worker(timeout=5.0, template=template) as w:
        inst = load(w, "class Probe:\n    pass\n")
        os.kill(w.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5.0  # the sandbox goes with it (PR_SET_PDEATHSIG)
        while not iso.gone(w.info.get("init_pid") or w.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(WorkerFailure) as info:
            w.describe(inst)
        assert info.value.kind == "exit" and info.value.exit_code == -signal.SIGKILL
    with Worker(timeout=5.0, template=template) as again:
        load(again, "class Probe:\n    pass\n")
    assert alive(template.pid)


def test_a_session_restarts_from_its_template_after_a_crash():
    source = iso.make("import os\nif os.environ.get('CRASH', '1'):\n    os._exit(9)")
    with Session(Loader("source", "Opt", source=source, filename="t.py")) as session:
        template = session.template
        for _ in range(2):
            with pytest.raises(Exception):
                session.run({}, iso.tree([1.0]), [iso.tree([1.0])])
        assert session.restarts >= 1 and alive(template.pid) and session.notes == []
    assert iso.gone(template.pid)


# ------------------------------------------------------------------ nothing outlives it


def test_the_template_ends_with_its_session_and_its_spawns_share_it():
    with Session(Loader("source", "SGD", source=iso.SGD, filename="t.py")) as session:
        template = session.template
        session.construct({})
        with session.spawn() as fresh:
            assert fresh.template is template
            fresh.construct({})
            pid = fresh.worker().pid
        assert alive(template.pid) and iso.gone(pid)  # a spawn closes its worker, not the template
    assert iso.gone(template.pid)
    assert [p for p in started_for(os.getpid()) if p == template.pid] == []


KILLED = """
import sys, time
sys.path.insert(0, {repo!r})
from checker._isolation import Worker, start_template
template = start_template()
w = Worker(timeout=30.0, template=template)
w.start()
w.load_source("class SGD:\\n    pass\\n", "t.py", "SGD")
print(template.pid, w.pid, w.info.get("init_pid"), flush=True)
time.sleep(3600)
"""


def test_a_killed_checker_takes_its_template_and_workers_with_it():
    proc = subprocess.Popen([sys.executable, "-c", KILLED.format(repo=str(REPO))],
                            stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split() if p != "None"]
        assert len(pids) >= 2 and all(alive(p) for p in pids[:2])
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 5.0
    while started_for(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started_for(proc.pid) == [] and all(iso.gone(p) for p in pids)


def test_a_checker_run_leaves_no_template_behind(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "checker", "reference.SGD", "--profile",
                             "quick", "--seed", "0", "--quiet", "--json", str(tmp_path / "r.json")],
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    assert started_for(proc.pid) == []
    report = json.loads((tmp_path / "r.json").read_text())
    assert not any("cold" in w for w in report.get("warnings", ()))


# ------------------------------------------------------------------ a shared template

CLIENT = """
import os, sys, time
sys.path.insert(0, {repo!r})
from checker._isolation import Worker, start_template
template = start_template()
template.ready(60.0)
client = template.client(30.0)  # as tests/warm_checker.py does: asked for, then forked
pid = os.fork()
if pid == 0:  # the other process: it takes its own connection and forgets the first
    template.abandon()
    w = Worker(timeout=30.0, template=client)
    w.start()
    w.load_source("class SGD:\\n    pass\\n", "t.py", "SGD")
    print(os.getpid(), w.pid, flush=True)
    time.sleep(3600)
client.close()  # this process's copy: the connection is the other process's now
print(template.pid, flush=True)
os.waitpid(pid, 0)
w = Worker(timeout=30.0, template=template)  # still serving its own checker
w.start()
w.load_source("class SGD:\\n    pass\\n", "t.py", "SGD")
print(w.pid, w.info.get("warm") is not None, flush=True)
w.close()
template.close()
"""


def test_a_client_of_a_shared_template_takes_its_workers_with_it_and_only_those():
    # `Template.client`: how tests/warm_checker.py shares templates between the runs it forks
    proc = subprocess.Popen([sys.executable, "-c", CLIENT.format(repo=str(REPO))],
                            stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline().split() for _ in range(2)]
        child, worker = next(map(int, line) for line in lines if len(line) == 2)
        template_pid = next(int(line[0]) for line in lines if len(line) == 1)
        assert alive(worker) and alive(template_pid)
        os.kill(child, signal.SIGKILL)  # a run killed mid-check: its connection closes
        deadline = time.monotonic() + 10.0
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert iso.gone(worker) and alive(template_pid)
        again, warm = proc.stdout.readline().split()
        assert warm == "True" and int(again) != worker
        assert proc.wait(60) == 0
    finally:
        proc.kill()
        proc.wait()
    assert iso.gone(template_pid)


def test_a_client_cannot_start_clients_of_its_own(template):
    client = template.client(30.0)
    try:
        from checker._template import TemplateUnavailable
        with pytest.raises(TemplateUnavailable):
            client.client(5.0)
        with Worker(timeout=5.0, template=template) as w:  # the template still serves
            load(w, "class Probe:\n    pass\n")
            assert w.info["warm"] is not None
    finally:
        client.close()


# ------------------------------------------------------------------ waiting usefully


def test_the_wait_for_a_template_is_spent_on_the_callers_work_and_ends_when_it_is_ready():
    steps = []

    def work():
        for i in range(100_000):
            time.sleep(0.002)
            steps.append(i)
            yield

    t = start_template()
    try:
        t.wait_doing(work(), 60.0)
        assert 0 < len(steps) < 100_000  # it stopped once the template spoke
        assert t.ready(1.0) == ("numpy",)  # and the template is ready, its message unread
        done = len(steps)
        t.wait_doing(work(), 60.0)  # a template already ready: no work done
        assert len(steps) == done
    finally:
        t.close()
    broken = Template(python="/bin/false")
    steps.clear()
    broken.wait_doing(work(), 60.0)
    assert len(steps) < 100_000


def test_a_torch_check_compiles_the_flag_combinations_while_torch_imports():
    pytest.importorskip("torch")
    from checker._check import _precompile
    from checker._judge import in_scope
    from spec import bound

    rules = in_scope("adam", "torch")
    done = sum(1 for _ in _precompile(rules))
    assert done >= 2 ** 3  # amsgrad, maximize, decoupled weight decay
    before = bound.compiled.cache_info().misses
    import spec  # what the check runs on problems is compiled already
    spec.Oracle(rules[0]).run({"w": np.array([1.0, 0.0])}, [{"w": np.array([0.3, 0.0])}] * 3,
                              dict(rules[0].defaults, amsgrad=1.0, weight_decay=0.01),
                              bounds=True)
    assert bound.compiled.cache_info().misses == before


# ------------------------------------------------------------------ falling back


def test_a_template_that_cannot_start_means_cold_workers_said_in_the_notes():
    broken = Template(python="/nonexistent/python")
    assert broken.why and "did not start" in broken.why
    with Worker(timeout=5.0, template=broken) as w:
        load(w, "class Probe:\n    pass\n")
        assert w.info["warm"] is None and "started cold" in w.info["cold"]
    loader = Loader("source", "SGD", source=iso.SGD, filename="t.py")
    with Session(loader, template=broken) as session:
        session.construct({})
        assert len(session.notes) == 1 and "did not start" in session.notes[0]


def test_a_closed_template_means_cold_workers(template):
    closed = start_template()
    closed.close()
    with Worker(timeout=5.0, template=closed) as w:
        load(w, "class Probe:\n    pass\n")
        assert w.info["warm"] is None and "closed" in w.info["cold"]


# ------------------------------------------------------------------ what it preloads


@pytest.mark.parametrize("source, found", [
    ("import torch\n", ("torch",)),
    ("import numpy as np, torch.nn as nn\n", ("torch",)),
    ("    from torch.optim import Optimizer\n", ("torch",)),
    ("import optax\nimport jax.numpy as jnp\n", ("jax",)),
    ("import numpy as np\n# import torch\nx = 'import torch'\n", ()),
    ("import torchvision\n", ()),
])
def test_frameworks_are_read_from_the_source(source, found):
    assert frameworks_in(source) == found


def test_a_loader_names_what_its_target_imports(tmp_path):
    (tmp_path / "opt.py").write_text("import torch\n")
    assert Loader("module", "Adam", module="torch.optim").frameworks() == ("torch",)
    assert Loader("module", "Adam", module="reference").frameworks() == ()
    assert Loader("file", "Adam", path=str(tmp_path / "opt.py")).frameworks() == ("torch",)
    assert Loader("source", "Adam", source="import numpy\n", api="torch").frameworks() == ("torch",)


def installed(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.mark.parametrize("framework", [
    pytest.param(name, marks=pytest.mark.skipif(not installed(name), reason=f"no {name} here"))
    for name in ("torch", "jax")])
def test_a_framework_target_is_forked_with_the_framework_already_imported(framework):
    template = start_template((framework,))
    try:
        assert template.ready(120.0) == ("numpy", framework)  # and one thread: it serves
        source = f"import sys\nIMPORTED = {framework!r} in sys.modules\nimport {framework}\n\n" \
                 "class Probe:\n    def __init__(self):\n        self.imported = IMPORTED\n"
        with Worker(timeout=10.0, template=template) as w:
            assert w.get_attr(load(w, source), "imported") is True
            assert w.info["warm"] == f"numpy, {framework}"
    finally:
        template.close()
    assert iso.gone(template.pid)


# ------------------------------------------------------------------ hostile, warm


class TestHostileWarm(iso.TestHostile):
    """Every hostile case of test_checker_isolation, on workers forked from a template."""

    @pytest.fixture(autouse=True)
    def _warm(self, template, monkeypatch):
        def warm_worker(*args, **kwargs):
            return Worker(*args, **{"template": template, **kwargs})

        monkeypatch.setattr(iso, "Worker", warm_worker)


def test_a_prestarted_template_is_taken_over_by_the_check_of_its_target():
    from checker import _session

    _session.prestart("reference.SGD")
    _session.prestart("no such target")  # misuse starts nothing: the check will say why
    (early,) = _session._PRESTARTED.values()
    with Session(Loader("module", "SGD", module="reference")) as session:
        assert session.template is early and not _session._PRESTARTED
        session.construct({})
    assert iso.gone(early.pid)
