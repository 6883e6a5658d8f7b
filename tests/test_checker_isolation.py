"""The isolation boundary: real worker processes running well-behaved and hostile targets."""

from __future__ import annotations

import math
import os
import struct
import textwrap
import time

import numpy as np
import pytest

from checker._isolation import KINDS, Opaque, Worker, WorkerFailure
from checker._worker import Blobs, decode_value, encode_value, pack, unpack

SGD = """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]
"""


def make(body: str) -> str:
    """An SGD-shaped class whose update body is ``body``."""
    body = textwrap.indent(textwrap.dedent(body), " " * 8)
    return "class Opt:\n    def __init__(self, lr=0.1):\n        self.lr = lr\n\n" \
           f"    def update(self, params, grads):\n{body}"


def tree(*values, dtype=np.float64):
    return {f"p{i}": np.asarray(v, dtype=dtype) for i, v in enumerate(values)}


def run_update(source, params, grads, *, kwargs=None, **worker_kw):
    with Worker(**{"timeout": 2.0, **worker_kw}) as w:
        w.load_source(source, "target.py", "Opt" if "class Opt" in source else "SGD")
        return w.update(w.construct(kwargs or {"lr": 0.1}), params, grads), w.output()


def gone(pid: int) -> bool:
    """Dead: no such process, or a zombie waiting for a (possibly lazy) init to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: fall back to asking the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def processes_with(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line holds ``marker``, as seen from here."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and not gone(int(entry)):
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


# ------------------------------------------------------------------ well-behaved targets


class TestCorrectTargets:
    def test_sgd_updates_in_place_and_values_come_back_exactly(self):
        params = {"W": np.arange(6.0).reshape(2, 3), "b": np.array([0.5], dtype=np.float32),
                  "h": np.array(2.0, dtype=np.float16), "e": np.zeros((0, 4))}
        grads = {k: np.ones_like(v) * 0.3 for k, v in params.items()}
        result, _ = run_update(SGD, params, grads)
        assert result.in_place and result.rebound_keys == ()
        for k in params:
            expected = params[k] - params[k].dtype.type(0.1) * grads[k]
            got = result.params[k]
            assert (got.dtype, got.shape) == (params[k].dtype, params[k].shape)
            assert got.tobytes() == expected.tobytes()
        assert result.grads_mutated == dict.fromkeys(params, False)
        assert result.returned is None and not result.returned_params

    def test_python_float_param_rebound_reports_new_value(self):
        result, _ = run_update(SGD, {"s": 1.0}, {"s": 0.5})
        assert result.params["s"] == 1.0 - 0.1 * 0.5 and type(result.params["s"]) is float
        assert result.same_object == {"s": False}

    def test_rebinding_params_key_is_reported(self):
        src = make("for k in params:\n    params[k] = params[k] - self.lr * grads[k]")
        result, _ = run_update(src, tree([1.0, 2.0], [3.0]), tree([1.0, 1.0], [1.0]))
        assert result.rebound_keys == ("p0", "p1") and not result.in_place
        np.testing.assert_array_equal(result.params["p0"], [0.9, 1.9])

    def test_mutating_grads_is_reported(self):
        src = make("for k in params:\n    grads[k] *= 2\n    params[k] -= self.lr * grads[k]")
        result, _ = run_update(src, tree([1.0], [1.0]), tree([1.0], [0.0]))
        assert result.grads_mutated == {"p0": True, "p1": False}

    def test_returning_a_new_dict_leaves_params_alone(self):
        src = make("return {k: params[k] - self.lr * grads[k] for k in params}")
        params, grads = tree([1.0, 2.0]), tree([1.0, 1.0])
        result, _ = run_update(src, params, grads)
        assert isinstance(result.returned, dict) and not result.returned_params
        np.testing.assert_array_equal(result.returned["p0"], [0.9, 1.9])
        np.testing.assert_array_equal(result.params["p0"], params["p0"])
        assert result.in_place  # nothing was rebound: it just did not update

    def test_added_and_removed_keys(self):
        src = make("params['extra'] = 1.0\ndel params['p1']")
        result, _ = run_update(src, tree([1.0], [2.0]), tree([0.0], [0.0]))
        assert result.added_keys == ("extra",) and result.removed_keys == ("p1",)
        assert result.same_object == {"p0": True, "p1": False}

    def test_non_float_values_are_described_not_sent(self):
        src = make("params['p0'] = params['p0'].astype(int)\nparams['p1'] = [1, 2]\n"
                   "return object()")
        result, _ = run_update(src, tree([1.5, 2.5], [1.0]), tree([0.0, 0.0], [0.0]))
        assert isinstance(result.params["p0"], Opaque) and result.params["p0"].shape == (2,)
        assert "int" in result.params["p0"].dtype
        assert result.params["p1"] == [1, 2]  # plain values travel (betas=(0.9, 0.999) too)
        assert isinstance(result.returned, Opaque) and result.returned.type_name == "object"

    def test_attributes_signature_describe_and_instances(self):
        momentum = """
import numpy as np
class Momentum:
    eps = 1e-7
    def __init__(self, lr=0.01, momentum=0.9, name="m", *, nesterov=False):
        self.lr, self.momentum, self.v = lr, momentum, None
    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for k in params:
            self.v[k] = self.momentum * self.v[k] - self.lr * grads[k]
            params[k] += self.v[k]
"""
        with Worker(timeout=2.0) as w:
            w.load_source(momentum, "momentum.py", "Momentum")
            sig = {p.name: p for p in w.signature()}
            assert list(sig) == ["lr", "momentum", "name", "nesterov"]
            assert sig["lr"].default == 0.01 and sig["name"].default == "m"
            assert sig["nesterov"].kind == "KEYWORD_ONLY" and sig["nesterov"].default is False
            a, b = w.construct({"lr": 0.1}), w.new_instance({"lr": 0.1})
            assert a != b
            w.update(a, tree([1.0]), tree([1.0]))
            assert w.describe(a) == {"eps": "float", "lr": "float", "momentum": "float",
                                     "v": "dict"}
            assert w.describe(b)["v"] == "NoneType"  # state does not leak between instances
            np.testing.assert_allclose(w.get_attr(a, "v")["p0"], [-0.1])
            w.set_attr(a, "lr", 0.0)
            assert w.get_attr(a, "lr") == 0.0
            r = w.update(a, tree([0.9]), tree([1.0]))
            np.testing.assert_allclose(r.params["p0"], [0.9 - 0.09])
            with pytest.raises(WorkerFailure) as info:
                w.get_attr(a, "missing")
            assert info.value.kind == "crash" and info.value.error.type_name == "AttributeError"


class TestLoading:
    def test_load_file_puts_its_folder_on_the_path(self, tmp_path):
        (tmp_path / "helpers.py").write_text("RATE = 0.5\n")
        opt = "from helpers import RATE\n" + SGD.replace("lr=0.01", "lr=RATE")
        (tmp_path / "opt.py").write_text(opt)
        with Worker(timeout=3.0, expose=(str(tmp_path),)) as w:
            assert w.load_file(tmp_path / "opt.py", "SGD")["qualname"] == "SGD"
            assert w.signature()[0].default == 0.5

    def test_dotted_module_resolves_from_the_parents_cwd(self, tmp_path, monkeypatch):
        (tmp_path / "mypkg").mkdir()
        (tmp_path / "mypkg" / "__init__.py").write_text("")
        (tmp_path / "mypkg" / "optim.py").write_text(SGD)
        monkeypatch.chdir(tmp_path)
        with Worker(timeout=3.0, expose=(str(tmp_path),)) as w:
            assert w.load_module("mypkg.optim", "SGD")["module"] == "mypkg.optim"
            inst = w.construct({"lr": 1.0})
            assert w.update(inst, tree([1.0]), tree([1.0])).params["p0"][0] == 0.0

    def test_syntax_error_is_a_load_failure_with_its_line(self):
        with Worker(timeout=2.0) as w:
            with pytest.raises(WorkerFailure) as info:
                w.load_source("x = 1\n\ndef broken(:\n    pass\n", "bad.py", "Opt")
            assert info.value.kind == "load" and info.value.error.type_name == "SyntaxError"
            where = info.value.error.frames[-1]
            assert (where.filename, where.lineno, where.line) == ("bad.py", 3, "def broken(:")
            w.load_source(SGD, "good.py", "SGD")  # the worker survives a load error

    def test_missing_class_is_a_load_failure(self):
        with Worker(timeout=2.0) as w, pytest.raises(WorkerFailure) as info:
            w.load_source(SGD, "sgd.py", "Adam")
        assert info.value.kind == "load" and "Adam" in info.value.error.message


class TestCrashes:
    def test_exception_in_update_has_target_frames_and_context(self):
        src = make("scale = 2\nfor k in params:\n    params[k] -= self.lr * grads[k + 'x']")
        with Worker(timeout=2.0) as w:
            w.load_source(src, "target.py", "Opt")
            inst = w.construct()
            with pytest.raises(WorkerFailure) as info:
                w.update(inst, tree([1.0]), tree([1.0]))
            err = info.value.error
            assert info.value.kind == "crash" and err.type_name == "KeyError"
            last = err.frames[-1]
            assert (last.filename, last.function) == ("target.py", "update")
            assert src.splitlines()[last.lineno - 1].strip() == last.line
            assert not any("_worker.py" in f.filename for f in err.frames)
            assert err.function == "update" and err.local_types["scale"] == "int"
            assert err.self_attrs == {"lr": "float"}
            assert "KeyError" in err.format()
            w.update(w.construct(), {}, {})  # still serving after a crash

    def test_exception_in_init_is_a_crash(self):
        with Worker(timeout=2.0) as w:
            src = "class Opt:\n    def __init__(self, lr):\n        raise ValueError('no')\n"
            w.load_source(src, "t.py", "Opt")
            with pytest.raises(WorkerFailure) as info:
                w.construct({"lr": 0.1})
            assert info.value.kind == "crash" and info.value.error.frames[-1].lineno == 3


# ------------------------------------------------------------------ hostile targets


class TestHostile:
    def test_sys_exit_at_import_never_succeeds(self):
        with Worker(timeout=2.0) as w:
            pid = w.pid
            with pytest.raises(WorkerFailure) as info:
                w.load_source("import sys\nsys.exit(0)\n" + SGD, "t.py", "SGD")
            assert info.value.kind == "exit" and info.value.exit_code == 0
            assert gone(pid)
            with pytest.raises(WorkerFailure) as again:  # a dead worker stays dead
                w.construct({})
            assert again.value.kind == "exit"

    def test_os_exit_in_update(self):
        with pytest.raises(WorkerFailure) as info:
            run_update(make("import os\nos._exit(0)"), tree([1.0]), tree([1.0]))
        assert info.value.kind == "exit" and info.value.exit_code == 0

    def test_sys_exit_in_update_keeps_the_traceback(self):
        with pytest.raises(WorkerFailure) as info:
            run_update(make("import sys\nsys.exit(3)"), tree([1.0]), tree([1.0]))
        assert (info.value.kind, info.value.exit_code) == ("exit", 3)
        assert info.value.error.frames[-1].function == "update"

    @pytest.mark.parametrize("body", ["while True:\n    pass", "import time\ntime.sleep(3600)"])
    def test_hang_in_update_times_out(self, body):
        began = time.monotonic()
        with Worker(timeout=1.0) as w:
            w.load_source(make(body), "t.py", "Opt")
            inst, pid = w.construct(), w.pid
            with pytest.raises(WorkerFailure) as info:
                w.update(inst, tree([1.0]), tree([1.0]))
            assert info.value.kind == "timeout" and gone(pid)
        assert time.monotonic() - began < 4.0

    def test_sigterm_ignoring_loop_is_killed_with_its_children(self):
        marker = f"child-of-a-hostile-target-{os.getpid()}-{time.monotonic_ns()}"
        body = f"""
import signal, subprocess, sys
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)  # {marker}"])
while True:
    pass
"""
        began = time.monotonic()
        with Worker(timeout=1.0) as w:
            w.load_source(make(body), "t.py", "Opt")
            inst, pid = w.construct(), w.pid
            with pytest.raises(WorkerFailure) as info:
                w.update(inst, tree([1.0]), tree([1.0]))
            assert info.value.kind == "timeout" and gone(pid)
        assert time.monotonic() - began < 4.0
        assert not processes_with(marker)

    def test_total_budget_bounds_the_run(self):
        with Worker(timeout=10.0, total_timeout=1.5) as w:
            w.load_source(make("import time\ntime.sleep(3600)"), "t.py", "Opt")
            with pytest.raises(WorkerFailure) as info:
                w.update(w.construct(), tree([1.0]), tree([1.0]))
        assert info.value.kind == "timeout" and "total budget" in info.value.message

    def test_memory_hog_fails_without_hurting_the_parent(self):
        body = "hoard = []\nwhile True:\n    hoard.append(bytearray(50_000_000))"
        with Worker(timeout=5.0, memory_mb=512) as w:
            w.load_source(make(body), "t.py", "Opt")
            inst = w.construct()
            with pytest.raises(WorkerFailure) as info:
                w.update(inst, tree([1.0]), tree([1.0]))
            assert info.value.kind in ("memory", "exit")
            if info.value.kind == "memory":
                assert info.value.error.type_name == "MemoryError"
                w.describe(inst)  # memory was given back: the worker still answers
        assert np.ones(1_000_000).sum() == 1_000_000

    def test_flooding_stdout_completes_and_output_is_trimmed(self):
        body = "import sys\nsys.stdout.write('x' * 50_000_000)\nsys.stderr.write('E' * 100)\n" \
               "for k in params:\n    params[k] -= self.lr * grads[k]"
        result, out = run_update(make(body), tree([1.0]), tree([1.0]), timeout=10.0)
        np.testing.assert_allclose(result.params["p0"], [0.9])
        assert out.stdout_bytes == 50_000_000 and len(out.stdout) < 21_000
        assert "bytes dropped" in out.stdout and out.stderr == "E" * 100

    def test_fake_verdicts_and_frames_on_stdout_are_ignored(self):
        fake = pack({"op": "update", "ok": True, "params": {"t": "dict", "items": []}})
        body = f"""
import sys
print("PASS: all checks passed")
print('{{"ok": true, "verdict": "pass"}}', file=sys.stderr)
sys.stdout.flush()
sys.stdout.buffer.write({fake!r})
sys.stdout.buffer.flush()
for k in params:
    params[k] -= self.lr * grads[k]
"""
        result, out = run_update(make(body), tree([1.0]), tree([1.0]))
        np.testing.assert_allclose(result.params["p0"], [0.9])
        assert "PASS" in out.stdout and "verdict" in out.stderr

    def test_patching_numpy_at_import_does_not_reach_the_parent(self):
        src = "import math, numpy\nnumpy.allclose = lambda *a, **k: True\n" \
              "numpy.isclose = numpy.array_equal = math.isclose = numpy.allclose\n" \
              + make("for k in params:\n    params[k] += 100.0")
        result, _ = run_update(src, tree([1.0]), tree([1.0]))
        assert not np.allclose(result.params["p0"], [0.9]) and not math.isclose(1.0, 2.0)
        assert np.allclose.__module__.startswith("numpy") and not np.array_equal([1], [2])

    @pytest.mark.parametrize("attack, kinds", [
        ("for fd in fds:\n    try:\n        os.write(fd, b'\\0' * 8 + b'junk')\n"
         "    except OSError:\n        pass", ("protocol",)),
        ("for fd in fds:\n    os.close(fd)", ("exit",)),
        ("for fd in fds:\n    try:\n        os.write(fd, FORGED)\n    except OSError:\n"
         "        pass\nimport time\ntime.sleep(0.3)", ("protocol",)),
    ], ids=["garbage", "close", "forged-reply"])
    def test_tampering_with_the_private_channel_never_passes(self, attack, kinds):
        # The channel fds (and the stack-dump pipe) are findable in /proc; what matters is
        # that abuse is caught: every one of them is written to.
        forged = pack({"ok": True, "seq": 2, "elapsed": 0.0, "params": {"t": "dict", "items": []},
                       "same": {}, "grads": {"t": "dict", "items": []}, "returned": {"t": "none"}})
        body = f"import os\nFORGED = {forged!r}\n" \
               "fds = [int(f) for f in os.listdir('/proc/self/fd') if int(f) >= 200]\n" + attack
        with Worker(timeout=2.0) as w:
            w.load_source(make(body), "t.py", "Opt")
            inst = w.construct()
            with pytest.raises(WorkerFailure) as info:
                w.update(inst, tree([1.0]), tree([1.0]))
                w.describe(inst)  # a forged reply may pass once; the next one is out of step
            assert info.value.kind in kinds and not w.alive

    def test_reading_caller_frames_finds_no_expected_values(self):
        body = """
import sys
import numpy as np
expected = {k: params[k] - self.lr * grads[k] for k in params}
names, leaks, frame = [], 0, sys._getframe(1)
while frame is not None:
    for name, value in list(frame.f_locals.items()):
        names.append(name)
        for v in (value.values() if isinstance(value, dict) else [value]):
            if isinstance(v, np.ndarray):
                leaks += any(v.shape == e.shape and np.array_equal(v, e) for e in expected.values())
    frame = frame.f_back
self.names = ",".join(sorted(set(names)))
self.leaks = leaks
for k in params:
    params[k] -= self.lr * grads[k]
"""
        with Worker(timeout=2.0) as w:
            w.load_source(make(body), "t.py", "Opt")
            inst = w.construct()
            result = w.update(inst, tree([1.0, 2.0]), tree([0.5, 0.5]))
            np.testing.assert_allclose(result.params["p0"], [0.95, 1.95])
            assert w.get_attr(inst, "leaks") == 0
            names = w.get_attr(inst, "names")
        assert not any(word in names.lower() for word in ("expect", "oracle", "reference", "want"))


# ------------------------------------------------------------------ the wire format


class TestWire:
    def roundtrip(self, value):
        blobs = Blobs()
        header, arrays = unpack(pack({"v": encode_value(value, blobs)}, blobs)[8:])
        return decode_value(header["v"], arrays)

    def test_floats_and_arrays_roundtrip_bit_for_bit(self):
        specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 1.0000000000000002]
        for x in specials:
            assert struct.pack("<d", self.roundtrip(x)) == struct.pack("<d", x)
        for dtype in (np.float16, np.float32, np.float64):
            a = np.array(specials, dtype=dtype).reshape(7, 1)
            b = self.roundtrip(a)
            assert b.dtype == a.dtype and b.shape == a.shape and b.tobytes() == a.tobytes()
        big_endian = np.array([1.5, -2.25], dtype=">f8")
        assert self.roundtrip(big_endian).tolist() == [1.5, -2.25]
        assert self.roundtrip({"a": np.float32(0.1), "b": None})["a"] == np.float32(0.1)

    @pytest.mark.parametrize("spec", [{"dtype": "object", "shape": [1]},
                                      {"dtype": [1], "shape": [1]},
                                      {"dtype": "float64", "shape": [2]},
                                      {"dtype": "float64", "shape": [-1]},
                                      {"dtype": "float64", "shape": [True]}])
    def test_unpack_rejects_anything_but_exact_float_arrays(self, spec):
        import json
        text = json.dumps({"arrays": [spec]}).encode()
        with pytest.raises(ValueError):
            unpack(struct.pack(">I", len(text)) + text + b"\0" * 8)

    @pytest.mark.parametrize("payload", [b"", b"\0\0\0\x05[1,2", b"\0\0\0\x02{}",
                                         b"\0\0\0\x0f{\"arrays\": []}x", b"\xff\xff\xff\xff{}"])
    def test_unpack_rejects_malformed_frames(self, payload):
        with pytest.raises(ValueError):
            unpack(payload)

    @pytest.mark.parametrize("node", [{"t": "array", "ref": 3}, {"t": "float", "v": 1.0},
                                      {"t": "pickle"}, [1], {"t": "float", "v": "0x1p99999"},
                                      {"t": "dict", "items": [[1, {"t": "none"}]]}])
    def test_decode_rejects_unknown_nodes(self, node):
        with pytest.raises(ValueError):
            decode_value(node, [])

    def test_kinds_and_bad_arguments(self):
        assert set(KINDS) == {"start", "load", "crash", "memory", "timeout", "exit", "protocol"}
        with pytest.raises(ValueError, match="timeout"):
            Worker(timeout=0)
        with Worker(timeout=2.0) as w:
            w.load_source(SGD, "sgd.py", "SGD")
            with pytest.raises(TypeError, match=r"params\['w'\]"):
                w.update(w.construct(), {"w": [1.0]}, {"w": np.ones(1)})
        with pytest.raises(RuntimeError, match="not started"):
            Worker().construct({})
