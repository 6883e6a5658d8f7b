"""The oracle: exact inputs, precision, closed forms, shapes, trajectories, errors."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, strategies as st

import spec
from spec import SpecError
from spec.oracle import exact

RULES = spec.all_rules()


def finite(lo, hi):
    mag = st.floats(lo, hi)
    return st.builds(lambda m, s: m * s, mag, st.sampled_from([1.0, -1.0]))


#: torch's hyperparameters whose zero takes another branch (no momentum buffer, no decay)
ZERO_BRANCHES = {"momentum", "dampening", "weight_decay", "lr_decay",
                 "initial_accumulator_value", "momentum_decay"}


def hyper_values(draw, rule, zero_wd=False):
    """Hyperparameters from their typical ranges; for a torch rule, flags on or off and the
    hyperparameters that switch a branch sometimes exactly 0, kept to what torch admits."""
    out = {}
    for h in rule.hypers:
        if h.flag:
            out[h.name] = draw(st.sampled_from([0.0, 1.0]))
        elif rule.api == "torch" and h.name in ZERO_BRANCHES:
            out[h.name] = draw(st.one_of(st.just(0.0), st.floats(*h.typical)))
        else:
            out[h.name] = draw(st.floats(*h.typical))
    if zero_wd and "weight_decay" in out:
        out["weight_decay"] = 0.0
    for h in rule.flags:  # switch off what torch would reject (nesterov without momentum)
        if rule.admits(out) is not None:
            out[h.name] = 0.0
    assert rule.admits(out) is None
    return out


@st.composite
def problems(draw, rule):
    shape = draw(st.sampled_from([(), (2,), (2, 2)]))
    size = int(np.prod(shape))
    steps = draw(st.integers(3, 6))
    w = np.array(draw(st.lists(finite(1e-3, 1e3), min_size=size, max_size=size))).reshape(shape)
    regime = st.one_of(finite(1e-12, 1e-6), finite(1e-3, 10.0), finite(1e2, 1e6), st.just(0.0))
    grads = [{"w": np.array(draw(st.lists(regime, min_size=size, max_size=size))).reshape(shape)}
             for _ in range(steps)]
    hypers = hyper_values(draw, rule)
    return {"w": w}, grads, hypers


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_50_and_100_digits_agree_to_45_digits(rule, data):
    params, grads, hypers = data.draw(problems(rule))
    lo = spec.Oracle(rule, dps=50).run(params, grads, hypers)
    hi = spec.Oracle(rule, dps=100).run(params, grads, hypers)
    tol = mpmath.mpf(10) ** -45
    with mpmath.workdps(100):
        # the largest magnitude each element's W was formed from, over every step so far
        scale = [abs(x) for x in hi.params(0)["w"].ravel()]
        for k in range(1, len(grads) + 1):
            # each update to 45 digits of itself, however small next to W
            for a, b in zip(lo.update(k)["w"].ravel(), hi.update(k)["w"].ravel()):
                assert abs(a - b) <= tol * abs(b), (k, a, b)
            # W_k = W_(k-1) + update, each sum rounded to 45 digits of its operands: W_k
            # keeps the absolute accuracy of every magnitude that formed it, so a W that
            # cancels to nearly 0 at one step and then stands still (update 0) is still
            # judged on the scale it cancelled from
            new, update = hi.params(k)["w"].ravel(), hi.update(k)["w"].ravel()
            scale = [max(s, abs(b), abs(u)) for s, b, u in zip(scale, new, update)]
            for a, b, s in zip(lo.params(k)["w"].ravel(), new, scale):
                assert abs(a - b) <= tol * s, (k, a, b, s)


def test_inputs_enter_as_their_exact_binary_values():
    # lr = 0.1 is the double 0.1000000000000000055511151231257827..., not 1/10
    traj = spec.Oracle("sgd").run({"w": 0.0}, {"w": 1.0}, {"lr": 0.1}, steps=1)
    with mpmath.workdps(50):
        got = traj.params(1)["w"].item()
        assert mpmath.nstr(got, 34) == "-0.1000000000000000055511151231257827"
    # a float32 input is its own exact value
    traj = spec.Oracle("sgd").run({"w": np.float32(0.1)}, {"w": np.float32(0.0)}, steps=1)
    assert traj.params(1)["w"].item() == exact(np.float32(0.1))
    assert traj.params(1)["w"].item() != exact(0.1)


def _close(a, b, digits=45):
    with mpmath.workdps(60):
        return abs(a - b) <= mpmath.mpf(10) ** -digits * max(abs(b), mpmath.mpf(10) ** -300)


# Closed forms derived by hand for a constant gradient g from W0; ``h`` holds the exact
# hyperparameters.  A torch rule's gradient is G = -g under maximize; its L2 weight decay
# is drawn 0 (it makes the gradient depend on W), its decoupled decay is checked through
# the previous parameter, ``w`` (the update is -lr wd w plus the step).
# momentum:  v_k = -lr g (1 - mu^k) / (1 - mu)
# adagrad:   h_k = h0 + k g^2
# rmsprop:   h_k = g^2 (1 - rho^k); centered: the variance is g^2 (1 - rho^k) rho^k
# adam (Algorithm 1): m_hat = g and v_hat = g^2 at every step (also their running maximum),
#                     so each step is lr g / (|g| + eps)
# adam (eps-hat):     each step is lr g sqrt(c2) / (|g| sqrt(c2) + eps), c2 = 1 - beta2^k
# nesterov (eq. 7):  step_k = mu^2 v_(k-1) - (1 + mu) lr g with v as in momentum
# adamax:    u_k = |g| + eps at every step, m_k / (1 - b1^k) = g
# nadam:     m and v as in Adam; P_k = mu_1 ... mu_k with mu_t = b1 (1 - 0.96^(t psi) / 2)
# radam:     rho_t = rho_inf - 2 t b2^t / (1 - b2^t), the rectified step while rho_t > 5
# adadelta:  v_k = g^2 (1 - rho^k); u by its own recurrence (no closed form)


def _sign(g, h):
    return -g if h.get("maximize") else g


def _decoupled(h, w):
    return -h["lr"] * h["weight_decay"] * w if h.get("decoupled_weight_decay", 1) else 0


def _sgd_torch(k, g, h, w):
    G, lr, mu, d = _sign(g, h), h["lr"], h["momentum"], h["dampening"]
    if mu == 0:
        return -lr * G
    b = mu ** (k - 1) * G + (1 - d) * G * (1 - mu ** (k - 1)) / (1 - mu)
    return -lr * (G + mu * b if h["nesterov"] else b)


def _adam_torch(k, g, h, w):
    G = _sign(g, h)
    return _decoupled(h, w) - h["lr"] * G / (abs(G) + h["eps"])


def _rmsprop_torch(k, g, h, w):
    G, rho, mu = _sign(g, h), h["decay_rate"], h["momentum"]

    def scaled(j):
        var = G**2 * (1 - rho**j) * (rho**j if h["centered"] else 1)
        return G / (mpmath.sqrt(var) + h["eps"])
    if mu > 0:
        return -h["lr"] * sum(mu ** (k - j) * scaled(j) for j in range(1, k + 1))
    return -h["lr"] * scaled(k)


def _adagrad_torch(k, g, h, w):
    G = _sign(g, h)
    clr = h["lr"] / (1 + (k - 1) * h["lr_decay"])
    return -clr * G / (mpmath.sqrt(h["initial_accumulator_value"] + k * G**2) + h["eps"])


def _adadelta_torch(k, g, h, w):
    G, rho, eps, u = _sign(g, h), h["decay_rate"], h["eps"], mpmath.mpf(0)
    for j in range(1, k + 1):
        delta = mpmath.sqrt(u + eps) / mpmath.sqrt(G**2 * (1 - rho**j) + eps) * G
        u = rho * u + (1 - rho) * delta**2
    return -h["lr"] * delta


def _nadam_torch(k, g, h, w):
    G, b1, psi = _sign(g, h), h["beta1"], h["momentum_decay"]

    def mu(t):
        return b1 * (1 - mpmath.mpf(1) / 2 * (mpmath.mpf(24) / 25) ** (t * psi))
    P = mpmath.fprod(mu(t) for t in range(1, k + 1))
    m, d = G * (1 - b1**k), abs(G) + h["eps"]
    return (_decoupled(h, w) - h["lr"] * (1 - mu(k)) / (1 - P) * G / d
            - h["lr"] * mu(k + 1) / (1 - P * mu(k + 1)) * m / d)


def _radam_torch(k, g, h, w):
    G, b2 = _sign(g, h), h["beta2"]
    c2 = 1 - b2**k
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * k * b2**k / c2
    if rho > 5:
        r = mpmath.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
        step = h["lr"] * G * r * mpmath.sqrt(c2) / (abs(G) * mpmath.sqrt(c2) + h["eps"])
    else:
        step = h["lr"] * G
    return _decoupled(h, w) - step


CLOSED = {
    "sgd/plain": lambda k, g, h, w: -h["lr"] * g,
    "momentum/book": lambda k, g, h, w: -h["lr"] * g * (1 - h["momentum"]**k) / (1 - h["momentum"]),
    "momentum/pytorch": lambda k, g, h, w: (-h["lr"] * g * (1 - h["momentum"]**k)
                                            / (1 - h["momentum"])),
    "nesterov/bengio": lambda k, g, h, w: (
        h["momentum"]**2 * (-h["lr"] * g * (1 - h["momentum"] ** (k - 1)) / (1 - h["momentum"]))
        - (1 + h["momentum"]) * h["lr"] * g),
    "nesterov/pytorch": lambda k, g, h, w: (
        h["momentum"]**2 * (-h["lr"] * g * (1 - h["momentum"] ** (k - 1)) / (1 - h["momentum"]))
        - (1 + h["momentum"]) * h["lr"] * g),
    "adagrad/eps_outside": lambda k, g, h, w: -h["lr"] * g / (mpmath.sqrt(k) * abs(g) + h["eps"]),
    "adagrad/eps_inside": lambda k, g, h, w: -h["lr"] * g / mpmath.sqrt(k * g**2 + h["eps"]),
    # the accumulator starts at the double nearest 0.1: h_k = h0 + k g^2
    "adagrad/keras": lambda k, g, h, w: -h["lr"] * g / (mpmath.sqrt(exact(0.1) + k * g**2)
                                                        + h["eps"]),
    "adagrad/tf1": lambda k, g, h, w: -h["lr"] * g / mpmath.sqrt(exact(0.1) + k * g**2),
    # the average starts at 1: h_k = rho^k + g^2 (1 - rho^k)
    "rmsprop/tf1": lambda k, g, h, w: -h["lr"] * g / mpmath.sqrt(
        h["decay_rate"]**k + g**2 * (1 - h["decay_rate"]**k) + h["eps"]),
    "rmsprop/eps_outside": lambda k, g, h, w: -h["lr"] * g / (
        abs(g) * mpmath.sqrt(1 - h["decay_rate"]**k) + h["eps"]),
    "rmsprop/eps_inside": lambda k, g, h, w: -h["lr"] * g / mpmath.sqrt(
        g**2 * (1 - h["decay_rate"]**k) + h["eps"]),
    "adam/algorithm1": lambda k, g, h, w: -h["lr"] * g / (abs(g) + h["eps"]),
    "adam/eps_hat": lambda k, g, h, w: (-h["lr"] * g * mpmath.sqrt(1 - h["beta2"]**k)
                                        / (abs(g) * mpmath.sqrt(1 - h["beta2"]**k) + h["eps"])),
    # with a constant gradient the corrected moments are g and g**2 exactly
    "adam/eps_inside": lambda k, g, h, w: -h["lr"] * g / mpmath.sqrt(g**2 + h["eps"]),
    "sgd/torch": _sgd_torch,
    "adam/torch": _adam_torch,
    "adamw/torch": _adam_torch,
    "rmsprop/torch": _rmsprop_torch,
    "adagrad/torch": _adagrad_torch,
    "adadelta/torch": _adadelta_torch,
    "adamax/torch": lambda k, g, h, w: -h["lr"] * _sign(g, h) / (abs(g) + h["eps"]),
    "nadam/torch": _nadam_torch,
    "radam/torch": _radam_torch,
}


# optax and Keras (constant g): optax's Nesterov m_hat is b1 m / (1 - b1^(k+1)) + (1 - b1) g /
# (1 - b1^k) with m = g (1 - b1^k); Keras' decoupled decay is -lr wd w, as optax's adamw's
def _m_hat_optax(k, g, h):
    b1 = h["beta1"]
    if h.get("nesterov", 1):
        return b1 * g * (1 - b1**k) / (1 - b1 ** (k + 1)) + (1 - b1) * g / (1 - b1**k)
    return g


def _adam_optax(k, g, h, w):
    d = mpmath.sqrt(g**2 + h["eps_root"]) + h["eps"]
    decay = _decoupled(h, w) if "weight_decay" in h else 0  # adamw: W - lr (adam + wd W)
    return decay - h["lr"] * _m_hat_optax(k, g, h) / d


def _amsgrad_optax(k, g, h, w):
    m_hat = g if h["bias_correction_mu"] else g * (1 - h["beta1"]**k)
    v_max = g**2 if h["bias_correction_nu"] else g**2 * (1 - h["beta2"]**k)  # nondecreasing
    return -h["lr"] * m_hat / (mpmath.sqrt(v_max + h["eps_root"]) + h["eps"])


def _eps_hat_keras(k, g, h, w):
    c2 = 1 - h["beta2"]**k
    return _decoupled(h, w) - h["lr"] * g * mpmath.sqrt(c2) / (abs(g) * mpmath.sqrt(c2) + h["eps"])


def _trace(k, scaled, mu):
    """sum_j mu^(k - j) scaled(j): a buffer of constant-g steps that starts at 0."""
    return sum(mu ** (k - j) * scaled(j) for j in range(1, k + 1))


def _rmsprop_optax(k, g, h, w):
    d, s, mu = h["decay_rate"], h["initial_scale"], h["momentum"]

    def u(j):
        c = 1 - d**j if h["bias_correction"] else 1
        var = (s * d**j + g**2 * (1 - d**j) * (d**j if h["centered"] else 1)) / c
        root = mpmath.sqrt(var + h["eps"]) if h["eps_in_sqrt"] else mpmath.sqrt(var) + h["eps"]
        return -h["lr"] * g / root
    v = _trace(k, u, mu)
    return u(k) + mu * v if h["nesterov"] else v


def _rmsprop_keras(k, g, h, w):
    d = h["decay_rate"]

    def inc(j):
        var = g**2 * (1 - d**j) * (d**j if h["centered"] else 1)
        return h["lr"] * g / mpmath.sqrt(var + h["eps"])
    return _decoupled(h, w) - (_trace(k, inc, h["momentum"]) if h["momentum"] > 0 else inc(k))


def _radam_optax(k, g, h, w):
    b2 = h["beta2"]
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * k * b2**k / (1 - b2**k)
    m_hat = _m_hat_optax(k, g, h)
    if rho >= h["threshold"]:
        r = mpmath.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
        return -h["lr"] * r * m_hat / (mpmath.sqrt(g**2 + h["eps_root"]) + h["eps"])
    return -h["lr"] * m_hat


def _sgd_keras(k, g, h, w):
    mu = h["momentum"]
    v = -h["lr"] * g * (1 - mu**k) / (1 - mu)
    return _decoupled(h, w) + (mu * v - h["lr"] * g if h["nesterov"] else v)


CLOSED.update({
    "sgd/optax": lambda k, g, h, w: -h["lr"] * (
        g + h["momentum"] * g * (1 - h["momentum"]**k) / (1 - h["momentum"]) if h["nesterov"]
        else g * (1 - h["momentum"]**k) / (1 - h["momentum"])),
    "sgd/keras": _sgd_keras,
    "adam/optax": _adam_optax,
    "adam/optax_amsgrad": _amsgrad_optax,
    "adam/keras": _eps_hat_keras,
    "adamw/optax": _adam_optax,
    "adamw/keras": _eps_hat_keras,
    "nadam/optax": lambda k, g, h, w: _adam_optax(k, g, dict(h, nesterov=1), w),
    "nadam/keras": lambda k, g, h, w: _nadam_torch(k, g, dict(h, momentum_decay=1), w),
    "rmsprop/optax": _rmsprop_optax,
    "rmsprop/keras": _rmsprop_keras,
    "adagrad/optax": lambda k, g, h, w: -h["lr"] * g / mpmath.sqrt(
        h["initial_accumulator_value"] + k * g**2 + h["eps"]),
    "adagrad/keras3": lambda k, g, h, w: _decoupled(h, w) - h["lr"] * g / mpmath.sqrt(
        h["initial_accumulator_value"] + k * g**2 + h["eps"]),
    "adamax/optax": lambda k, g, h, w: -h["lr"] * g / (abs(g) + h["eps"]),
    "adamax/keras": lambda k, g, h, w: _decoupled(h, w) - h["lr"] * g / (abs(g) + h["eps"]),
    "radam/optax": _radam_optax,
    # Lion: c = g (b1 (1 - b2^(k-1)) + 1 - b1) has the sign of g at every step
    "lion/optax": lambda k, g, h, w: _decoupled(h, w) - h["lr"] * mpmath.sign(g),
    "lion/keras": lambda k, g, h, w: _decoupled(h, w) - h["lr"] * mpmath.sign(g),
    "adadelta/optax": _adadelta_torch,
    "adadelta/keras": lambda k, g, h, w: _decoupled(h, w) + _adadelta_torch(k, g, h, w),
})


def test_every_rule_has_a_closed_form_here():
    assert set(CLOSED) == {r.name for r in RULES}


def _decoupled_decay_is_on(rule, hypers):
    return (rule.name in ("adamw/torch", "adamw/optax", "lion/optax") or rule.api == "keras"
            or hypers.get("decoupled_weight_decay"))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(g=finite(1e-9, 1e3), w0=finite(1e-3, 1e3), data=st.data())
def test_constant_gradient_matches_the_closed_form(rule, g, w0, data):
    hypers = hyper_values(data.draw, rule)
    if not _decoupled_decay_is_on(rule, hypers) and "weight_decay" in hypers:
        hypers["weight_decay"] = 0.0  # L2 makes the gradient depend on W: no closed form
    steps = 7 if rule.family == "radam" else 6  # rho_t passes 5 at t = 6 for beta2 = 0.999
    traj = spec.Oracle(rule).run({"w": w0}, {"w": g}, hypers, steps=steps)
    form = CLOSED[rule.name]
    for k in range(1, steps + 1):
        with mpmath.workdps(60):
            h = {name: exact(v) for name, v in hypers.items()}
            want = form(k, exact(g), h, traj.params(k - 1)["w"].item())
        assert _close(traj.update(k)["w"].item(), want), (k, traj.update(k)["w"].item(), want)


def test_trajectory_has_every_step_and_state_for_any_shape():
    params = {"s": 1.0, "v": np.ones(3), "m": np.ones((2, 3)), "e": np.zeros((0,)),
              "z": np.zeros((2, 0, 4))}
    grads = [{k: np.full(np.shape(v), 0.5 * (i + 1)) for k, v in params.items()}
             for i in range(4)]
    traj = spec.Oracle("adam").run(params, grads, bounds=True)
    assert len(traj.steps) == 4
    assert [s.t for s in traj.steps] == [1, 2, 3, 4]
    for s in traj.steps:
        assert set(s.state) == {"m", "v"}
        for key, value in params.items():
            assert s.params[key].shape == np.shape(value)
            assert s.state["m"][key].shape == np.shape(value)
            assert s.error[key].shape == np.shape(value)
    assert traj.params(0)["s"].item() == 1
    assert traj.as_float(4)["m"].dtype == np.float64
    assert traj.as_float(4, np.float32)["m"].dtype == np.float32


def test_learning_rate_can_change_between_steps():
    traj = spec.Oracle("sgd").run({"w": 0.0}, [{"w": 1.0}] * 2, [{"lr": 0.5}, {"lr": 0.25}])
    assert [float(traj.update(k)["w"]) for k in (1, 2)] == [-0.5, -0.25]


def test_zero_over_zero_is_nan_in_w_but_state_stays_finite():
    traj = spec.Oracle("adagrad").run({"w": 1.0}, {"w": 0.0}, {"eps": 0.0}, steps=2)
    assert mpmath.isnan(traj.params(1)["w"].item())
    assert traj.steps[0].state["h"]["w"].item() == 0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda o: o.run({"w": np.ones(2)}, {"w": np.ones(3)}, steps=1), "shape"),
        (lambda o: o.run({"w": 1.0}, {"x": 1.0}, steps=1), "no key 'w'"),
        (lambda o: o.run({"w": 1.0}, {"w": 1.0}), "steps"),
        (lambda o: o.run({"w": 1.0}, [{"w": 1.0}] * 2, [{}] * 3), "one dict per step"),
        (lambda o: o.run({"w": "a"}, {"w": 1.0}, steps=1), "float"),
        (lambda o: o.run({"w": 1.0}, {"w": 1.0}, {"lr": -1.0}, steps=1), "lr = -1.0"),
    ],
)
def test_bad_input_is_a_clear_error(call, match):
    with pytest.raises(SpecError, match=match):
        call(spec.Oracle("sgd"))


def test_oracle_precision_must_be_high():
    with pytest.raises(SpecError, match="dps"):
        spec.Oracle("sgd", dps=10)


# -- torch's rules: flags, shapes, dtypes, schedules --------------------------------------
TORCH_RULES = [r for r in RULES if r.api == "torch"]


@pytest.mark.parametrize("rule", TORCH_RULES, ids=lambda r: r.name)
def test_torch_rules_run_on_any_shape_and_dtype_with_flags_as_bools(rule):
    params = {"s": np.float32(1.5), "v": np.linspace(-1, 1, 3), "m": np.ones((2, 3), np.float32),
              "e": np.zeros((0,)), "z": np.zeros((2, 0, 4), np.float32)}
    grads = [{k: (np.full(np.shape(v), 0.5 * (i + 1)) * (-1) ** i).astype(np.asarray(v).dtype)
              for k, v in params.items()} for i in range(7)]
    hypers = dict(rule.defaults)
    hypers.update({h.name: True for h in rule.flags})
    if "momentum" in hypers:
        hypers["momentum"] = 0.9
    if rule.name == "sgd/torch":
        hypers["dampening"] = 0.0  # nesterov=True needs it
    hypers["weight_decay"] = 0.01
    schedule = [dict(hypers, lr=hypers["lr"] * (1 if i < 3 else 0.5)) for i in range(7)]
    traj = spec.Oracle(rule).run(params, grads, schedule, bounds=True)
    assert [s.t for s in traj.steps] == list(range(1, 8))
    for s in traj.steps:
        assert set(s.state) == {x.name for x in rule.states}
        for key, value in params.items():
            assert s.params[key].shape == np.shape(value)
            assert s.error[key].shape == np.shape(value)
            assert all(mpmath.isfinite(x) for x in s.update[key].ravel())
    assert traj.as_float(7, np.float32)["m"].dtype == np.float32


def test_flags_switch_branches_and_may_change_between_steps():
    rule = spec.get("adam", "torch")
    g = [{"w": 1.0}] * 2
    down = spec.Oracle(rule).run({"w": 0.0}, g, {"maximize": False})
    up = spec.Oracle(rule).run({"w": 0.0}, g, {"maximize": True})
    assert float(down.update(1)["w"]) < 0 < float(up.update(1)["w"])
    both = spec.Oracle(rule).run({"w": 0.0}, g, [{"maximize": 0}, {"maximize": 1}])
    assert float(both.update(1)["w"]) < 0 < float(both.update(2)["w"])


def test_sgd_torch_clones_its_buffer_on_the_first_step_only():
    rule = spec.get("sgd", "torch")
    h = {"lr": 1.0, "momentum": 0.5, "dampening": 0.5}
    traj = spec.Oracle(rule).run({"w": 0.0}, [{"w": 1.0}] * 3, h)
    # b = g, then 0.5 b + 0.5 g: the first step is not dampened
    assert [float(traj.update(k)["w"]) for k in (1, 2, 3)] == [-1.0, -1.0, -1.0]
    assert float(traj.steps[0].state["b"]["w"].item()) == 1.0
    # with momentum 0 there is no buffer, and dampening does nothing
    traj = spec.Oracle(rule).run({"w": 0.0}, [{"w": 1.0}] * 2, dict(h, momentum=0.0))
    assert [float(traj.update(k)["w"]) for k in (1, 2)] == [-1.0, -1.0]
    assert float(traj.steps[1].state["b"]["w"].item()) == 0.0


def test_radam_takes_the_rectified_branch_from_step_6_with_default_betas():
    rule = spec.get("radam", "torch")
    traj = spec.Oracle(rule).run({"w": 0.0}, {"w": 2.0}, steps=7, bounds=True)
    lr = exact(1e-3)
    with mpmath.workdps(60):
        for k in range(1, 6):  # rho_t <= 5: SGD with momentum, lr m_hat = lr g
            assert _close(traj.update(k)["w"].item(), -lr * 2)
        for k in (6, 7):
            assert not _close(traj.update(k)["w"].item(), -lr * 2, digits=3)
            assert mpmath.isfinite(traj.steps[k - 1].error["w"].item())


def test_adagrad_torch_starts_its_sum_at_the_initial_accumulator_value():
    rule = spec.get("adagrad", "torch")
    traj = spec.Oracle(rule).run({"w": 0.0}, {"w": 0.0}, {"initial_accumulator_value": 0.1},
                                 steps=1, bounds=True)
    assert traj.steps[0].state["h"]["w"].item() == exact(0.1)  # the double, not 1/10
    assert traj.steps[0].error["w"].item() == 0  # a zero gradient moves nothing


def test_nadam_mu_product_is_the_product_of_the_schedule():
    rule = spec.get("nadam", "torch")
    traj = spec.Oracle(rule).run({"w": np.zeros(2)}, {"w": np.ones(2)}, steps=3, bounds=True)
    with mpmath.workdps(60):
        b1, psi = exact(0.9), exact(4e-3)
        mu = [b1 * (1 - mpmath.mpf(1) / 2 * (mpmath.mpf(24) / 25) ** (t * psi)) for t in (1, 2, 3)]
        assert _close(traj.steps[2].state["mu_product"]["w"][0], mpmath.fprod(mu))
    # its float32 roundings are a separate part of the bound
    assert traj.steps[0].error_f32 is not None and traj.steps[0].error_f32["w"][0] > 0
