"""Child side of the isolation boundary: imports the code under test and calls it.

Started as ``python -I path/to/_worker.py CMD_FD REPLY_FD CONFIG_JSON``: a script path,
not ``-m checker._worker``, because ``-I`` drops the cwd, PYTHONPATH and the user site
from ``sys.path``, so the package may not be importable here; this file imports nothing
from it. CONFIG_JSON names the folder of the parent's numpy, in case ``-I`` hides it.

Requests and replies travel only over the two pipes named on the command line, never
stdin/stdout/stderr, which belong to the target. A frame is an 8-byte big-endian
length, a 4-byte length and a JSON header, then the raw little-endian bytes of the
float arrays listed in ``header["arrays"]``. Nothing is pickled, so decoding a reply
gives the child no way to run code in the parent, which imports this module for the
same ``pack``/``unpack``/``encode_value``/``decode_value``.

The worker never holds an expected answer: it gets parameters, gradients and
hyperparameters, makes the call and reports what it saw. The parent compares.
"""

from __future__ import annotations

import fcntl
import importlib
import importlib.util
import inspect
import json
import linecache
import os
import struct
import sys
import threading
import time
import traceback
import types
from dataclasses import dataclass

if __name__ == "__main__" and len(sys.argv) == 4:
    for _p in json.loads(sys.argv[3]).get("extra_path", ()):
        if isinstance(_p, str) and _p not in sys.path:
            sys.path.append(_p)

import numpy as np

# Before any framework is imported (the target's module, or the template's preload): JAX
# in x64 mode, so float64 parameters stay float64 (float32 ones stay float32), and Keras
# on JAX, so it needs no TensorFlow.  A user who chose otherwise keeps their choice.
def _framework_environment() -> None:
    os.environ.setdefault("JAX_ENABLE_X64", "1")
    os.environ.setdefault("KERAS_BACKEND", "jax")


_framework_environment()  # a template's preload; `serve` again, for a fork's fresh environment

# Bound before the target is imported, so that monkeypatching numpy, json or os
# from the target's module cannot change how the worker encodes its reports.
_ndarray, _generic, _asarray, _dtype = np.ndarray, np.generic, np.asarray, np.dtype
_frombuffer, _empty, _ascontig = np.frombuffer, np.empty, np.ascontiguousarray
_as_base = np.ndarray.view
_dumps, _loads = json.dumps, json.loads
_read, _write, _getppid, _exit = os.read, os.write, os.getppid, os._exit
_perf = time.perf_counter

FLOAT_DTYPES = {"float16": "<f2", "float32": "<f4", "float64": "<f8"}
MAX_TEXT, MAX_KEYS, MAX_NDIM = 4000, 10_000, 64
_LEN, _HLEN = struct.Struct(">Q"), struct.Struct(">I")
_HERE = os.path.abspath(__file__)
_STDLIB, _NUMPY = os.path.dirname(os.__file__) + os.sep, os.path.dirname(np.__file__) + os.sep


@dataclass(frozen=True)
class Opaque:
    """A value the wire does not carry exactly: its type, a short repr, dtype/shape if any."""

    type_name: str
    description: str
    dtype: str | None = None
    shape: tuple[int, ...] | None = None


class Blobs:
    """Raw array bytes that travel after a message's JSON header."""

    def __init__(self) -> None:
        self.specs: list[dict] = []
        self.chunks: list[bytes] = []

    def add(self, array) -> int:
        name = array.dtype.name
        self.chunks.append(_ascontig(array, dtype=FLOAT_DTYPES[name]).tobytes())
        self.specs.append({"dtype": name, "shape": [int(n) for n in array.shape]})
        return len(self.specs) - 1


def pack(header: dict, blobs: Blobs | None = None) -> bytes:
    text = _dumps(dict(header, arrays=blobs.specs if blobs else []), allow_nan=False).encode()
    body = b"".join(blobs.chunks) if blobs else b""
    return _LEN.pack(_HLEN.size + len(text) + len(body)) + _HLEN.pack(len(text)) + text + body


def unpack(payload: bytes) -> tuple[dict, list]:
    """Split a frame body into its header and arrays; ValueError on anything malformed."""
    try:
        return _unpack(payload)
    except Exception as exc:  # forged input can fail in any way; it is only ever malformed
        raise ValueError(f"malformed frame: {_describe_error(exc)}") from None


def _unpack(payload: bytes) -> tuple[dict, list]:
    (n,) = _HLEN.unpack_from(payload)
    if n > len(payload) - _HLEN.size:
        raise ValueError("header length exceeds the frame")
    header = _loads(payload[_HLEN.size:_HLEN.size + n])
    if not isinstance(header, dict) or not isinstance(header.get("arrays"), list):
        raise ValueError("header is not an object with an 'arrays' list")
    arrays, offset = [], _HLEN.size + n
    for spec in header["arrays"]:
        name, shape = spec.get("dtype"), spec.get("shape")
        if type(name) is not str or name not in FLOAT_DTYPES or type(shape) is not list \
                or len(shape) > MAX_NDIM or not all(type(d) is int and d >= 0 for d in shape):
            raise ValueError(f"bad array spec {str(spec)[:200]}")
        count = 1
        for d in shape:
            count *= d
        nbytes = count * _dtype(name).itemsize
        if offset + nbytes > len(payload):
            raise ValueError("array bytes run past the end of the frame")
        if count == 0:
            arrays.append(_empty(shape, dtype=name))
        else:
            raw = _frombuffer(payload, dtype=FLOAT_DTYPES[name], count=count, offset=offset)
            arrays.append(raw.reshape(shape).astype(name))
        offset += nbytes
    if offset != len(payload):
        raise ValueError("trailing bytes after the last array")
    return header, arrays


def _describe_error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _type_name(v) -> str:
    t = type(v)
    mod, name = getattr(t, "__module__", ""), getattr(t, "__qualname__", "?")
    return name if mod in ("builtins", "numpy") else f"{mod}.{name}"


def safe_repr(v, limit: int = 200) -> str:
    try:
        text = repr(v)
    except BaseException as exc:  # a hostile __repr__ must not take the report down
        text = f"<{_type_name(v)}: repr raised {type(exc).__name__}>"
    text = text if type(text) is str else f"<{_type_name(v)}>"
    return text if len(text) <= limit else text[:limit] + "..."


def encode_value(v, blobs: Blobs, depth: int = 0) -> dict:
    t = type(v)
    if v is None:
        return {"t": "none"}
    if t is bool or t is str or (t is int and -(2**63) <= v < 2**63):
        return {"t": t.__name__, "v": v[:MAX_TEXT] if t is str else v}
    if t is float:
        return {"t": "float", "v": v.hex()}
    if isinstance(v, (_ndarray, _generic)):
        base = v if t is _ndarray else _as_base(_asarray(v), _ndarray)
        node = {"t": "array" if isinstance(v, _ndarray) else "scalar", "type": _type_name(v),
                "dtype": str(base.dtype), "shape": [int(n) for n in base.shape]}
        if base.dtype.kind == "f" and base.dtype.name in FLOAT_DTYPES:
            node["ref"] = blobs.add(base)
        else:
            node["desc"] = safe_repr(v)
        return node
    if t in (tuple, list) and depth <= 1 and len(v) <= MAX_KEYS:  # betas=(0.9, 0.999)
        return {"t": t.__name__, "items": [encode_value(x, blobs, 2) for x in v]}
    if isinstance(v, dict) and depth == 0:
        items = [[k if type(k) is str else safe_repr(k), encode_value(x, blobs, 1)]
                 for k, x in list(v.items())[:MAX_KEYS]]
        return {"t": "dict", "type": _type_name(v), "len": len(v), "items": items}
    return {"t": "other", "type": _type_name(v), "desc": safe_repr(v)}


def decode_value(node, arrays: list, depth: int = 0):
    """Rebuild a value from its wire form; ValueError for anything encode_value does not make."""
    try:
        return _decode(node, arrays, depth)
    except Exception as exc:
        raise ValueError(f"malformed value: {_describe_error(exc)}") from None


def _decode(node, arrays: list, depth: int):
    t, v = node.get("t"), node.get("v")
    if t == "none":
        return None
    if (t, type(v)) in (("bool", bool), ("int", int), ("str", str)):
        return v
    if t == "float" and type(v) is str:
        return float.fromhex(v)
    if t in ("array", "scalar"):
        ref = node.get("ref")
        if ref is None:
            shape = node.get("shape")
            if not (type(shape) is list and all(type(d) is int for d in shape)):
                shape = None
            return Opaque(str(node.get("type"))[:200], str(node.get("desc"))[:MAX_TEXT],
                          str(node.get("dtype"))[:50], shape and tuple(shape))
        if type(ref) is not int or not 0 <= ref < len(arrays) or t == "scalar" and arrays[ref].ndim:
            raise ValueError(f"bad array reference {ref!r}")
        return arrays[ref][()] if t == "scalar" else arrays[ref]
    if t == "dict" and depth == 0 and type(node.get("items")) is list:
        if not all(type(i) is list and len(i) == 2 and type(i[0]) is str for i in node["items"]):
            raise ValueError("bad dict item")
        return {k: _decode(x, arrays, 1) for k, x in node["items"]}
    if t in ("tuple", "list") and depth <= 1 and type(node.get("items")) is list:
        items = [_decode(x, arrays, 2) for x in node["items"][:MAX_KEYS]]
        return tuple(items) if t == "tuple" else items
    if t == "other":
        return Opaque(str(node.get("type"))[:200], str(node.get("desc"))[:MAX_TEXT])
    raise ValueError(f"unknown value node {str(node)[:200]}")


# ---------------------------------------------------------------- child only below


class _Failed(Exception):
    def __init__(self, kind: str, info: dict, code: int | None = None) -> None:
        super().__init__(kind)
        self.kind, self.info, self.code = kind, info, code


_cushion: bytearray | None = None


def _is_library(filename: str) -> bool:
    # Hints name the innermost frame of the target's own code, not numpy's or the stdlib's.
    in_stdlib = filename.startswith(_STDLIB) and "-packages" not in filename
    return in_stdlib or filename.startswith(_NUMPY)


def _types_of(mapping, limit: int = 100) -> dict:
    try:
        return {str(k): _type_name(v) for k, v in list(mapping.items())[:limit]}
    except BaseException:
        return {}


def _error_info(exc: BaseException) -> dict:
    """Everything the parent needs to explain a failure, as plain data."""
    frames, innermost = [], None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename == _HERE or filename.startswith("<frozen "):
            continue
        line = traceback.FrameSummary(filename, lineno, frame.f_code.co_name).line
        frames.append([filename, lineno or 0, frame.f_code.co_name, line or ""])
        innermost = innermost if _is_library(filename) else frame
    if isinstance(exc, SyntaxError):
        frames.append([str(exc.filename), exc.lineno or 0, "<module>", (exc.text or "").strip()])
    try:
        message = str(exc)[:MAX_TEXT]
    except BaseException:
        message = safe_repr(exc, MAX_TEXT)
    info = {"type": type(exc).__qualname__, "message": message, "frames": frames[-40:]}
    if innermost is not None:
        info.update(function=innermost.f_code.co_name, locals=_types_of(innermost.f_locals))
        if "self" in innermost.f_locals and hasattr(innermost.f_locals["self"], "__dict__"):
            info["self_attrs"] = _types_of(vars(innermost.f_locals["self"]))
    return info


def _call_target(kind: str, fn, *args):
    global _cushion
    try:
        return fn(*args)
    except SystemExit as exc:
        code = 0 if exc.code is None else exc.code if type(exc.code) is int else 1
        raise _Failed("exit", _error_info(exc), code & 0xFF) from None
    except MemoryError as exc:
        _cushion = None  # give the report some room to be built in
        raise _Failed("memory", _error_info(exc)) from None
    except BaseException as exc:
        raise _Failed(kind, _error_info(exc)) from None


def _module_name(wanted: str, path: str) -> str:
    # Never shadow a module already imported (a target saved as random.py, say).
    taken = not wanted.isidentifier() or wanted in sys.modules
    return f"_target_{abs(hash(path))}" if taken else wanted


def _exec_source(source: str, filename: str, module_name: str):
    code = compile(source, filename, "exec", dont_inherit=True)
    module = types.ModuleType(_module_name(module_name, filename))
    module.__file__ = filename
    sys.modules[module.__name__] = module
    # A None mtime keeps linecache from discarding it, so tracebacks show the lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, module.__dict__)
    return module


def _exec_file(path: str):
    # Its folder goes first so the target's sibling imports resolve as when run from there.
    sys.path.insert(0, os.path.dirname(path))
    name = _module_name(os.path.splitext(os.path.basename(path))[0], path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path!r}: not a Python source file")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _import_dotted(dotted: str, path: list):
    sys.path[:] = [p for p in path if type(p) is str] + [p for p in sys.path if p not in path]
    return importlib.import_module(dotted)


def _warm_torch() -> None:
    """Import torch and make one optimizer step: torch imports much of itself (dynamo) on the
    first optimizer it builds, seconds on a busy machine, which belong to loading, under
    the load's time limit, not to the target's first construct."""
    torch = importlib.import_module("torch")
    p = torch.zeros(1, requires_grad=True)
    p.grad = torch.ones(1)
    torch.optim.SGD([p], lr=0.1).step()


def _warm_jax(api: str) -> None:
    """Import JAX (and optax or Keras) and run one small step: JAX compiles its first
    operations, which belongs to loading, under the load's time limit."""
    jnp = importlib.import_module("jax.numpy")
    p = {"w": jnp.zeros(1)}
    if api == "optax":
        optax = importlib.import_module("optax")
        opt = optax.inject_hyperparams(optax.sgd)(learning_rate=0.1)
        optax.apply_updates(p, opt.update(p, opt.init(p), p)[0])
    else:
        keras = importlib.import_module("keras")
        v = keras.Variable(np.zeros(1, np.float32))
        keras.optimizers.SGD(learning_rate=0.1).apply_gradients([(np.ones(1, np.float32), v)])


class NoSuchClass(LookupError):
    """The module has no attribute of that name: misuse of the command line, not a failure."""


class NotAClass(TypeError):
    """The name exists but is not a class: misuse of the command line, not a failure."""


def _sibling(name: str):
    """checker/<name>.py, loaded by path: ``-I`` keeps the package off sys.path."""
    mod = sys.modules.get(f"_checker{name}")
    if mod is None:
        spec = importlib.util.spec_from_file_location(
            f"_checker{name}", os.path.join(os.path.dirname(_HERE), f"{name}.py"))
        mod = sys.modules[f"_checker{name}"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    return mod


def _apis():
    return _sibling("_apis")


def _resolve(module, qualname: str, functions: bool = False):
    where = getattr(module, "__name__", "the module")
    obj = module
    for part in qualname.split("."):
        if not hasattr(obj, part):
            found = sorted(n for n, v in vars(module).items()
                           if isinstance(v, type) and getattr(v, "__module__", None) == where)
            raise NoSuchClass(f"no class {qualname!r} in {where}; it defines "
                              f"{', '.join(found) or 'no classes'}")
        obj = getattr(obj, part)
    # optax.nadam is a functools.partial of optax.adam
    function = inspect.isfunction(obj) or (callable(obj) and inspect.isfunction(getattr(obj, "func", None)))
    if not isinstance(obj, type) and not (functions and function):
        raise NotAClass(f"{qualname!r} in {where} is not a class but a {type(obj).__name__}")
    return obj


def _describe(obj) -> dict:
    attrs = {}
    for name in dir(type(obj)):  # class-level constants matter too (eps = 1e-7)
        value = inspect.getattr_static(type(obj), name)
        if not name.startswith("__") and not callable(value) and not hasattr(value, "__get__"):
            attrs[name] = _type_name(value)
    attrs.update(_types_of(vars(obj), MAX_KEYS) if hasattr(obj, "__dict__") else {})
    return attrs


class _Session:
    """One loaded class and the instances made from it; every op_* answers one request."""

    def __init__(self) -> None:
        self.cls = None  # what builds an instance with the book's interface
        self.target = None  # what was loaded: a class, or a function (CS231n)
        self.api = "book"
        self.objects: dict[int, object] = {}

    def instance(self, h: dict):
        if h.get("inst") not in self.objects:
            raise KeyError(f"no instance with id {h.get('inst')!r}")
        return self.objects[h["inst"]]

    def op_load(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        if h["mode"] in ("source", "file") and isinstance(h.get("sys_path"), list):
            path = [p for p in h["sys_path"] if type(p) is str]
            sys.path[:] = path + [p for p in sys.path if p not in path]
        if h["mode"] == "source":
            module = _call_target("load", _exec_source, h["source"], h["filename"],
                                  h["module_name"])
        elif h["mode"] == "file":
            module = _call_target("load", _exec_file, h["path"])
        elif h["mode"] == "module":
            module = _call_target("load", _import_dotted, h["module"], h["sys_path"])
        else:
            raise ValueError(f"unknown load mode {h['mode']!r}")
        api = h.get("api") or "auto"
        self.target = _call_target("load", _resolve, module, h["class_name"],
                                   api in ("auto", "cs231n", "optax"))
        apis = _apis()
        self.api = apis.detect(self.target) if api == "auto" else api
        if self.api is None:
            raise _Failed("load", _error_info(NotAClass(
                f"{h['class_name']!r} in {module.__name__} is a function, not a class, and not "
                "shaped like CS231n's (w, dw, config=None); for such a function pass --api cs231n")))
        if self.api == "torch":
            _call_target("load", _warm_torch)
        elif self.api in ("optax", "keras"):
            _call_target("load", apis.require_shape, self.target, self.api)
            _call_target("load", _warm_jax, self.api)
        self.cls = apis.factory(self.target, self.api)
        qualname = getattr(self.target, "__qualname__", None)
        return {"module": module.__name__, "file": str(getattr(module, "__file__", None)),
                "qualname": qualname if type(qualname) is str else h["class_name"],
                "api": self.api, "is_class": isinstance(self.target, type)}

    def op_construct(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        if self.cls is None:
            raise RuntimeError("construct before load")
        kwargs = decode_value(h["kwargs"], arrays)
        obj = _call_target("crash", lambda: self.cls(**kwargs))
        self.objects[len(self.objects) + 1] = obj
        return {"inst": len(self.objects)}

    def op_update(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        obj = self.instance(h)
        params, grads = decode_value(h["params"], arrays), decode_value(h["grads"], arrays)
        before = dict(params)
        start = _perf()
        returned = _call_target("crash", lambda: obj.update(params, grads))
        elapsed = _perf() - start
        return {"elapsed": elapsed, "params": encode_value(params, blobs),
                "same": {k: k in params and params[k] is v for k, v in before.items()},
                "added": [k if type(k) is str else safe_repr(k) for k in params if k not in before],
                "removed": [k for k in before if k not in params],
                "grads": encode_value(grads, blobs), "returned": encode_value(returned, blobs),
                "returned_params": returned is params}

    def op_get_attr(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        value = _call_target("crash", getattr, self.instance(h), h["name"])
        return {"value": encode_value(value, blobs)}

    def op_set_attr(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        value = decode_value(h["value"], arrays, 1)
        _call_target("crash", setattr, self.instance(h), h["name"], value)
        return {}

    def op_describe(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        obj = self.instance(h)
        if self.api == "cs231n":  # the function is the update; its settings live in config
            attrs = {k: _type_name(v) for k, v in vars(obj).items()
                     if not k.startswith("_") and k != "config_keys"}
            return {"attrs": dict(attrs, update="function")}
        attrs = _call_target("crash", _describe, _apis().inner(obj))
        if self.api == "torch":
            attrs = dict(attrs, update="method", lr=_type_name(vars(obj).get("lr")))
        elif self.api in ("optax", "keras"):
            attrs = dict(attrs, update="method",
                         learning_rate=_type_name(vars(obj).get("learning_rate")))
        return {"attrs": attrs}

    def op_trace(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        """Run the target's update on recording values (`_tracer`); a trace that cannot
        go on, for whatever reason the target gives, is an answer, not a failure."""
        if self.cls is None:
            raise RuntimeError("trace before load")
        tracer = _sibling("_tracer")
        module = sys.modules.get(getattr(self.target, "__module__", None) or "")
        spaces = [vars(module)] if module is not None else []
        if isinstance(getattr(self.target, "__globals__", None), dict):
            spaces.append(self.target.__globals__)
        kwargs = decode_value(h["kwargs"], arrays)
        try:
            tracer.install(spaces)
            return tracer.run(self.cls, kwargs, h["hypers"], h["shapes"], int(h["steps"]),
                              h["nominal"], bool(h.get("warmup")))
        except BaseException as exc:  # noqa: BLE001 - the target's, or the tracer's Stop
            info = _error_info(exc)
            what = exc.what if isinstance(exc, tracer.Stop) else \
                f"the code raised {info['type']}: {info['message'][:200]} on traced values"
            inner = next((f for f in reversed(info["frames"])
                          if not _is_library(f[0]) and os.path.basename(f[0]) not in
                          ("_tracer.py", "_apis.py")), None)
            return {"stopped": {"what": what, "file": inner[0] if inner else None,
                                "line": inner[1] if inner else None,
                                "code": inner[3] if inner else None}}

    def op_signature(self, h: dict, arrays: list, blobs: Blobs) -> dict:
        target = self.target
        if h.get("inst") is not None and self.api in ("book", "booklist"):
            target = type(_apis().inner(self.instance(h)))
        if target is None:
            raise RuntimeError("signature before load")
        out = []
        for name, kind, default in _call_target("crash", _apis().signature, target, self.api):
            out.append({"name": name, "kind": kind})
            if default is not inspect.Parameter.empty:
                out[-1]["default"] = encode_value(default, blobs, 1)
        return {"params": out}


def _flush_streams() -> None:
    # Otherwise the target's prints sit in its buffers, unseen by output() until exit.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def _handle(session: _Session, payload: bytes) -> tuple[bytes, int | None] | None:
    """Answer one request: the reply frame and, after sys.exit, the code to exit with.

    None means the parent asked the worker to stop.
    """
    blobs, header = Blobs(), {}
    try:
        header, arrays = unpack(payload)
        if header.get("op") == "close":
            return None
        fn = getattr(session, f"op_{header.get('op')}", None)
        if fn is None:
            raise ValueError(f"unknown op {str(header.get('op'))[:50]!r}")
        reply = dict(fn(header, arrays, blobs), ok=True)
    except _Failed as f:
        reply, blobs = {"ok": False, "kind": f.kind, "error": f.info, "exit_code": f.code}, None
    except MemoryError as exc:
        reply, blobs = {"ok": False, "kind": "memory", "error": _error_info(exc)}, None
    except BaseException as exc:  # a bad request or a bug here, not the target's doing
        reply, blobs = {"ok": False, "kind": "protocol", "error": _error_info(exc)}, None
    _flush_streams()
    reply["seq"] = header.get("seq") if type(header.get("seq")) is int else None
    return pack(reply, blobs), reply.get("exit_code") if reply.get("kind") == "exit" else None


def _private(fd: int) -> int:
    # High and close-on-exec: stray writes to low fds and the target's own
    # subprocesses never reach the protocol channel.
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 200)
    os.close(fd)
    return new


def _apply_limits(config: dict) -> None:
    import resource

    for which, soft, extra in ((resource.RLIMIT_AS, config.get("memory_bytes"), 0),
                               (resource.RLIMIT_CPU, config.get("cpu_seconds"), 5),
                               (resource.RLIMIT_CORE, 0, 0)):
        if soft is not None:
            hard = resource.getrlimit(which)[1]
            cap = soft + extra if hard == resource.RLIM_INFINITY else min(soft + extra, hard)
            resource.setrlimit(which, (min(soft, cap), cap))


def _watch_parent(parent: int) -> None:
    # A parent that dies never sends SIGKILL; do not outlive it.
    while True:
        time.sleep(0.5)
        if _getppid() != parent:
            _exit(70)


def _recv(fd: int, n: int | None = None) -> bytes | None:
    """One frame body, or n raw bytes; None at end of file."""
    if n is None:
        head = _recv(fd, _LEN.size)
        return None if head is None else _recv(fd, _LEN.unpack(head)[0])
    buf = bytearray()
    while len(buf) < n:
        chunk = _read(fd, min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[_write(fd, view):]


def main(argv: list[str]) -> None:
    serve(int(argv[1]), int(argv[2]), _loads(argv[3]))


def serve(cmd_fd: int, reply_fd: int, config: dict) -> None:
    """Enter the sandbox, say hello, answer requests until told to close; never returns.

    Called by ``main`` in a cold worker, and by a template's fresh fork (`_template`) in a
    warm one: from here on the two are the same process doing the same things."""
    global _cushion
    _framework_environment()
    cmd_fd, reply_fd = _private(cmd_fd), _private(reply_fd)
    sys.dont_write_bytecode = True  # no __pycache__ left in the user's folders
    box = {"sandbox": "off (--no-sandbox)", "notes": []}
    dump_fd = _private(config["dump_fd"]) if type(config.get("dump_fd")) is int else None
    if config.get("sandbox"):
        try:
            box = _sibling("_sandbox").enter(config.get("expose") or [],
                                            config.get("private") or [],
                                            (cmd_fd, reply_fd) + ((dump_fd,) if dump_fd else ()),
                                            config["parent_pid"], config.get("memory_bytes"))
        except Exception as exc:  # noqa: BLE001 - said in every report, never silent
            box = {"sandbox": f"none: {type(exc).__name__}: {exc}", "notes": []}
    if dump_fd is not None:  # a hang is shown where it hangs: the parent asks with SIGUSR1
        import faulthandler
        import signal

        faulthandler.register(signal.SIGUSR1, file=dump_fd, all_threads=True)
    _apply_limits(config)
    _cushion = bytearray(8 << 20)
    if box.get("init_pid") is None:  # in a sandbox, the kernel ends us with the supervisor
        threading.Thread(target=_watch_parent, args=(config["parent_pid"],), daemon=True).start()
    _send(reply_fd, pack({"op": "hello", "ok": True, "pid": os.getpid(),
                          "python": sys.version.split()[0], "numpy": np.__version__,
                          "sandbox": str(box.get("sandbox")), "notes": list(box.get("notes")),
                          "init_pid": box.get("init_pid"), "cgroups": box.get("cgroups") or []}))
    session = _Session()
    while True:
        payload = _recv(cmd_fd)
        handled = None if payload is None else _handle(session, payload)
        if handled is None:
            break
        _send(reply_fd, handled[0])
        if handled[1] is not None:
            _exit(handled[1])
        if _cushion is None:
            try:
                _cushion = bytearray(8 << 20)
            except MemoryError:
                pass
    _flush_streams()
    _exit(0)


if __name__ == "__main__":
    main(sys.argv)
