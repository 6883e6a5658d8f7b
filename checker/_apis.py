"""Child side: the shapes an optimizer's API takes, each presented as the book's.

Loaded by path inside the worker (``python -I`` cannot import the package), so this
file imports nothing from it.  Every API is wrapped in an object with the book's
interface, ``update(params: dict, grads: dict)`` updating ``params`` in place, so
that the parent runs the same properties on all of them:

``book``      ``Adam(lr=...).update(params, grads)`` with dicts (Deep Learning from Scratch)
``booklist``  the same with lists of arrays (its second volume: ``params[i]``)
``cs231n``    ``adam(w, dw, config=None) -> (next_w, config)``, one config per parameter
``torch``     a ``torch.optim.Optimizer`` subclass: tensors, ``.grad``, ``step()``
``optax``     a factory of an ``optax.GradientTransformation``: ``init``, ``update``,
              ``optax.apply_updates`` on a dict of JAX arrays
``keras``     a Keras 3 optimizer class (JAX backend): ``apply_gradients`` on ``keras.Variable``s

A wrapper never computes an expected value; it translates calls and reports what
the target did (a parameter rebound, a config key never stored back).
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np

APIS = ("book", "booklist", "cs231n", "torch", "optax", "keras")

# CS231n's optim.py: the config keys a user sets (the parent binds them to the spec's
# hyperparameters by name and alias, as it does constructor arguments)
CS231N_KEYS = ("learning_rate", "momentum", "decay_rate", "epsilon", "beta1", "beta2")


class ApiError(TypeError):
    """The target does not have the interface of its API (reported as kind ``api``)."""


class ApiMismatch(TypeError):
    """``--api`` names a shape the target cannot have (a torch API for a plain class, the
    CS231n API for a class): misuse of the command line, which the parent reports as such."""


def _is_torch_optimizer(obj) -> bool:
    if not isinstance(obj, type):
        return False
    return any(getattr(c, "__module__", "") == "torch.optim.optimizer" and c.__name__ == "Optimizer"
               for c in obj.__mro__)


def _is_keras_optimizer(obj) -> bool:
    if not isinstance(obj, type):
        return False
    return any(getattr(c, "__module__", "").startswith("keras.")
               and c.__name__ == "BaseOptimizer" for c in obj.__mro__)


def _is_optax_factory(obj) -> bool:
    """A function that builds an ``optax.GradientTransformation``: one of optax's own
    (``optax.adam``, the partial ``optax.nadam``), one annotated as returning one, or one
    whose body names ``optax`` and returns (a user's ``optax.chain(...)``)."""
    if isinstance(obj, type) or not callable(obj):
        return False
    fn = getattr(obj, "func", obj)  # functools.partial
    if getattr(fn, "__module__", "").split(".")[0] == "optax":
        return True
    if "GradientTransformation" in str(getattr(fn, "__annotations__", {}).get("return", "")):
        return True
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return "optax" in names and any(isinstance(n, ast.Return) for n in ast.walk(tree))


def _indexes_by_position(cls) -> bool:
    """True when ``cls.update`` treats params as a list: ``len(params)``, ``range``,
    ``zip(params, grads)``, ``enumerate(params)`` or ``params[i]`` with a loop index."""
    fn = inspect.getattr_static(cls, "update", None)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    func = next((n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if func is None or len(func.args.args) < 3:
        return False
    names = {func.args.args[1].arg, func.args.args[2].arg}
    dict_like = list_like = False
    for node in ast.walk(func):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id in names and node.attr in ("keys", "items", "values"):
            dict_like = True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("len", "zip", "enumerate") \
                and any(isinstance(a, ast.Name) and a.id in names for a in node.args):
            list_like = True
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id in names and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, int):
            list_like = True
    return list_like and not dict_like


def _cs231n_shaped(fn) -> bool:
    """``(w, dw, config=None)``: three parameters or more, one of them ``config``."""
    try:
        names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return False
    return len(names) >= 3 and "config" in names[2:]


def detect(obj) -> str | None:
    """The API of a loaded target, from what it is and how it is written; None for a
    function that is not shaped like CS231n's."""
    if _is_torch_optimizer(obj):
        return "torch"
    if _is_keras_optimizer(obj):
        return "keras"
    if _is_optax_factory(obj):
        return "optax"
    if not isinstance(obj, type):
        return "cs231n" if _cs231n_shaped(obj) else None
    if isinstance(obj, type) and _indexes_by_position(obj):
        return "booklist"
    return "book"


def signature(obj, api: str) -> list[tuple[str, str, object]]:
    """The hyperparameters a user can set: (name, kind, default or inspect.Parameter.empty)."""
    if api == "cs231n":
        # set through config; their defaults live in the function body
        return [(k, "KEYWORD_ONLY", inspect.Parameter.empty) for k in CS231N_KEYS]
    out = [(p.name, p.kind.name, p.default) for p in inspect.signature(obj).parameters.values()]
    if api == "torch" and out and out[0][1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD"):
        out = out[1:]  # the parameters themselves
    return out


def require_shape(obj, api: str) -> None:
    """Raise `ApiMismatch` when ``--api optax`` or ``--api keras`` names a target that
    cannot have that shape: said at load, before the framework is imported for it."""
    shaped = {"optax": _is_optax_factory, "keras": _is_keras_optimizer}.get(api)
    if shaped is None or shaped(obj):
        return
    what = f"class {obj.__name__}" if isinstance(obj, type) else \
        f"function {getattr(obj, '__name__', '?')}"
    need = {"optax": "does not build an optax.GradientTransformation",
            "keras": "is not a Keras 3 optimizer"}[api]
    raise ApiMismatch(f"--api {api}: the {what} {need}; omit --api to let the checker "
                      "recognise its API")


def factory(obj, api: str):
    """A callable taking the hyperparameters as keyword arguments and giving an object
    with the book's ``update(params, grads)``."""
    if api == "book":
        return obj
    if api == "booklist":
        return lambda **kw: ListAPI(obj(**kw))
    if api == "cs231n":
        return lambda **kw: Functional(obj, kw)
    if api == "torch":
        return lambda **kw: TorchAPI(obj, kw)
    if api == "optax":
        return lambda **kw: OptaxAPI(obj, kw)
    if api == "keras":
        return lambda **kw: KerasAPI(obj, kw)
    raise ValueError(f"unknown api {api!r}")


def inner(obj):
    """The object whose attributes a report describes."""
    return obj._target if isinstance(obj, (ListAPI, Functional, TorchAPI, OptaxAPI, KerasAPI)) else obj


class ListAPI:
    """Deep Learning from Scratch 2: ``update(params: list, grads: list)``."""

    def __init__(self, target) -> None:
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name):
        return getattr(self._target, name)

    def __setattr__(self, name, value):
        setattr(self._target, name, value)

    def update(self, params: dict, grads: dict):
        keys = list(params)
        plist, glist = [params[k] for k in keys], [grads[k] for k in keys]
        returned = self._target.update(plist, glist)
        for k, v in zip(keys, plist):
            params[k] = v  # a rebound list entry shows as a rebound key
        return returned


class Functional:
    """CS231n: ``next_w, config = rule(w, dw, config)``, one config per parameter.

    ``first`` is what the first call for a parameter gets: ``"config"`` (a fresh
    dict of the hyperparameters, as the assignment's Solver passes) or
    ``"omitted"`` (no config at all, as a user calling ``adam(w, dw)`` would).
    """

    def __init__(self, fn, hypers: dict) -> None:
        if isinstance(fn, type):
            raise ApiMismatch(
                f"--api cs231n: {fn.__name__} is a class, and the CS231n API is a function "
                "fn(w, dw, config=None) -> (next_w, config); omit --api for a class with update()")
        d = self.__dict__
        d["_target"] = fn
        d["_first"] = hypers.get("__first__", "config")
        d["_hypers"] = {k: v for k, v in hypers.items() if k != "__first__"}
        d["_configs"] = {}
        d["config_keys"] = {}  # the keys each parameter's config holds after its last call
        for k, v in self._hypers.items():
            d[k] = v  # learning_rate, ... as plain attributes: the lr change sets them

    def __setattr__(self, name, value):
        if name not in CS231N_KEYS:
            raise AttributeError(f"cannot set {name!r} on a functional optimizer")
        self.__dict__[name] = value
        self._hypers[name] = value
        for config in self._configs.values():
            if isinstance(config, dict):
                config[name] = value

    def update(self, params: dict, grads: dict):
        name = getattr(self._target, "__name__", "the function")
        for key in list(params):
            if key in self._configs:
                args = (params[key], grads[key], self._configs[key])
            elif self._first == "omitted":
                args = (params[key], grads[key])
            else:
                args = (params[key], grads[key], dict(self._hypers))
            out = self._target(*args)
            if not isinstance(out, tuple) or len(out) != 2:
                raise ApiError(f"{name} returned {type(out).__name__}, not (next_w, config); "
                               "end it with `return next_w, config`")
            next_w, config = out
            if not isinstance(config, dict):
                raise ApiError(f"{name} returned a {type(config).__name__} as its config, not "
                               "a dict; return the config it was given, updated")
            params[key] = next_w
            self._configs[key] = config
            self.config_keys[key] = sorted(str(k) for k in config)


class TorchAPI:
    """A ``torch.optim.Optimizer``: one tensor per key (float32 or float64 as drawn),
    ``.grad`` set from the gradients (sharing their memory, so a mutation shows), then
    ``step()``; the new values are written back into the caller's arrays.  The default
    dtype follows the parameters (float64 if any is), since torch keeps its scalar
    state in it."""

    def __init__(self, cls, hypers: dict) -> None:
        if not _is_torch_optimizer(cls):
            what = f"class {cls.__name__}" if isinstance(cls, type) else \
                f"function {getattr(cls, '__name__', '?')}"
            raise ApiMismatch(
                f"--api torch: the {what} is not a subclass of torch.optim.Optimizer; omit "
                "--api to let the checker recognise its API (book, booklist or cs231n)")
        import torch

        d = self.__dict__
        d["_target"], d["_torch"], d["_hypers"] = cls, torch, dict(hypers)
        d["_opt"], d["_tensors"] = None, {}
        if "lr" in hypers:
            d["lr"] = hypers["lr"]
        # torch checks its arguments in the constructor: fail here, not at the first step
        cls([torch.zeros(1, dtype=torch.float64, requires_grad=True)], **hypers)

    def __getattr__(self, name):
        opt = self.__dict__.get("_opt")
        if opt is None:
            raise AttributeError(name)
        return getattr(opt, name)

    def __setattr__(self, name, value):
        if name != "lr":
            raise AttributeError(f"cannot set {name!r} on a torch optimizer here")
        self.__dict__["lr"] = value
        self._hypers["lr"] = value
        if self._opt is not None:
            for group in self._opt.param_groups:
                group["lr"] = value

    def update(self, params: dict, grads: dict):
        torch = self._torch
        # torch keeps scalar state (NAdam's mu_product, the step) in the default dtype:
        # float64 parameters get float64 scalars, as in a program that sets the default
        wide = any(np.asarray(v).dtype == np.float64 for v in params.values())
        torch.set_default_dtype(torch.float64 if wide else torch.float32)
        if self._opt is None:
            for key, value in params.items():
                t = torch.tensor(np.asarray(value))
                self._tensors[key] = t.requires_grad_(True)
            self.__dict__["_opt"] = self._target(list(self._tensors.values()), **self._hypers)
        with torch.no_grad():
            for key, t in self._tensors.items():
                t.copy_(torch.as_tensor(np.asarray(params[key])))
        for key, t in self._tensors.items():
            g = grads[key]
            t.grad = torch.from_numpy(g) if isinstance(g, np.ndarray) and g.flags.writeable \
                else torch.tensor(np.asarray(g))
        self._opt.step()
        for key, t in self._tensors.items():
            value = t.detach().numpy()
            if isinstance(params[key], np.ndarray):
                params[key][...] = value
            else:
                params[key] = float(value)


def _write_back(params: dict, key, value) -> None:
    value = np.asarray(value)
    if isinstance(params[key], np.ndarray):
        params[key][...] = value
    else:
        params[key] = float(value)


def _wide(params: dict) -> bool:
    return any(np.asarray(v).dtype == np.float64 for v in params.values())


class OptaxAPI:
    """An optax factory: ``optax.inject_hyperparams(factory)(**hypers)`` (flags and None
    as static arguments), so that the learning rate is state and can change between
    steps; ``init`` on the first update, then ``update(grads, state, params)`` and
    ``optax.apply_updates`` on dicts of JAX arrays of the parameters' dtypes (the worker
    enables JAX's x64 mode, so float64 stays float64), those two under ``jax.jit`` as a
    training loop runs them (`_optax_step`; eagerly if the target cannot be traced).  The
    new values are written back into the caller's arrays."""

    def __init__(self, factory, hypers: dict) -> None:
        if not _is_optax_factory(factory):
            what = f"class {factory.__name__}" if isinstance(factory, type) else \
                f"function {getattr(factory, '__name__', '?')}"
            raise ApiMismatch(
                f"--api optax: the {what} does not build an optax.GradientTransformation; "
                "omit --api to let the checker recognise its API")
        import jax.numpy as jnp
        import optax

        d = self.__dict__
        d["_target"], d["_optax"], d["_jnp"], d["_hypers"] = factory, optax, jnp, dict(hypers)
        d["_opt"], d["_state"] = None, None
        if "learning_rate" in hypers:
            d["learning_rate"] = hypers["learning_rate"]
        # optax checks nothing until it runs: build one now, so bad arguments fail here
        self._build()

    def _build(self):
        static = [k for k, v in self._hypers.items()
                  if v is None or isinstance(v, (bool, str)) or not np.isscalar(v)]
        return self._optax.inject_hyperparams(self._target, static_args=static)(**self._hypers)

    def __getattr__(self, name):
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name != "learning_rate":
            raise AttributeError(f"cannot set {name!r} on an optax transformation here")
        self.__dict__["learning_rate"] = value
        self._hypers["learning_rate"] = value
        state = self._state
        if state is not None and "learning_rate" in getattr(state, "hyperparams", {}):
            old = state.hyperparams["learning_rate"]
            state.hyperparams["learning_rate"] = self._jnp.asarray(value, dtype=old.dtype)

    def _static(self) -> tuple:
        return tuple(sorted((k, repr(v)) for k, v in self._hypers.items()
                            if v is None or isinstance(v, (bool, str)) or not np.isscalar(v)))

    def update(self, params: dict, grads: dict):
        jnp = self._jnp
        p = {k: jnp.asarray(np.asarray(v)) for k, v in params.items()}
        g = {k: jnp.asarray(np.asarray(grads[k])) for k in params}
        if self._opt is None:
            self.__dict__["_opt"] = self._build()
            self.__dict__["_state"] = self._opt.init(p)
        new, state = _optax_step(self._target, self._static(), self._opt, self._optax)(
            g, self._state, p)
        self.__dict__["_state"] = state
        for key in params:
            _write_back(params, key, new[key])


# One compiled step per optax target and static arguments (flags, None), shared by every
# instance: the numeric hyperparameters are state (inject_hyperparams), so an instance with
# other numbers reuses it, and jax.jit compiles it once per tree of shapes and dtypes.
# Eagerly, JAX compiles each operation of the update for each new shape and dtype, which
# is most of an optax verdict's time.  A target that cannot be traced (Python control
# flow on values, NumPy calls on arrays) is run eagerly, as it was written.
_OPTAX_STEPS: dict = {}


def _optax_step(target, static: tuple, opt, optax):
    key = (id(target), static)
    if key not in _OPTAX_STEPS:
        import jax

        def step(g, state, p):
            updates, state = opt.update(g, state, p)
            return optax.apply_updates(p, updates), state

        def eager(g, state, p):
            updates, state = opt.update(g, state, p)
            return optax.apply_updates(p, updates), state

        compiled = jax.jit(step)

        def run(g, state, p):
            if _OPTAX_STEPS[key][1]:
                try:
                    return compiled(g, state, p)
                except Exception:  # noqa: BLE001 - run as written; its own error, if any
                    _OPTAX_STEPS[key] = (_OPTAX_STEPS[key][0], False)
            return eager(g, state, p)

        _OPTAX_STEPS[key] = (run, True)
    return _OPTAX_STEPS[key][0]


class KerasAPI:
    """A Keras 3 optimizer class: built on the first update (with Keras' ``floatx`` set
    to the parameters' dtype, since Keras keeps its learning rate in it), one
    ``keras.Variable`` per key, ``apply_gradients`` each step; the learning rate is set
    through the optimizer's own ``learning_rate`` attribute.  The new values are written
    back into the caller's arrays."""

    def __init__(self, cls, hypers: dict) -> None:
        if not _is_keras_optimizer(cls):
            what = f"class {cls.__name__}" if isinstance(cls, type) else \
                f"function {getattr(cls, '__name__', '?')}"
            raise ApiMismatch(
                f"--api keras: the {what} is not a Keras 3 optimizer; omit --api to let the "
                "checker recognise its API")
        import keras

        d = self.__dict__
        d["_target"], d["_keras"], d["_hypers"] = cls, keras, dict(hypers)
        d["_opt"], d["_vars"] = None, {}
        if "learning_rate" in hypers:
            d["learning_rate"] = hypers["learning_rate"]
        cls(**hypers)  # Keras checks its arguments in the constructor: fail here

    def __getattr__(self, name):
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name != "learning_rate":
            raise AttributeError(f"cannot set {name!r} on a Keras optimizer here")
        self.__dict__["learning_rate"] = value
        self._hypers["learning_rate"] = value
        if self._opt is not None:
            self._opt.learning_rate = float(value)

    def update(self, params: dict, grads: dict):
        keras = self._keras
        dtype = "float64" if _wide(params) else "float32"
        if self._opt is None:
            previous = keras.config.floatx()
            keras.config.set_floatx(dtype)
            try:
                for key, value in params.items():
                    value = np.asarray(value)
                    self._vars[key] = keras.Variable(value, dtype=value.dtype.name,
                                                     name=f"p{len(self._vars)}")
                self.__dict__["_opt"] = self._target(**self._hypers)
            finally:
                keras.config.set_floatx(previous)
        for key, v in self._vars.items():
            v.assign(np.asarray(params[key]))
        self._opt.apply_gradients([(np.asarray(grads[key]), v) for key, v in self._vars.items()])
        for key, v in self._vars.items():
            _write_back(params, key, v.value)
