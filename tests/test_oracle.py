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


@st.composite
def problems(draw, rule):
    shape = draw(st.sampled_from([(), (2,), (2, 2)]))
    size = int(np.prod(shape))
    steps = draw(st.integers(3, 6))
    w = np.array(draw(st.lists(finite(1e-3, 1e3), min_size=size, max_size=size))).reshape(shape)
    regime = st.one_of(finite(1e-12, 1e-6), finite(1e-3, 10.0), finite(1e2, 1e6), st.just(0.0))
    grads = [{"w": np.array(draw(st.lists(regime, min_size=size, max_size=size))).reshape(shape)}
             for _ in range(steps)]
    hypers = {h.name: draw(st.floats(*h.typical)) for h in rule.hypers}
    return {"w": w}, grads, hypers


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_50_and_100_digits_agree_to_45_digits(rule, data):
    params, grads, hypers = data.draw(problems(rule))
    lo = spec.Oracle(rule, dps=50).run(params, grads, hypers)
    hi = spec.Oracle(rule, dps=100).run(params, grads, hypers)
    tol = mpmath.mpf(10) ** -45
    with mpmath.workdps(100):
        for k in range(1, len(grads) + 1):
            # each update to 45 digits of itself, however small next to W
            for a, b in zip(lo.update(k)["w"].ravel(), hi.update(k)["w"].ravel()):
                assert abs(a - b) <= tol * abs(b), (k, a, b)
            # W_k = W_(k-1) + update exactly, so W_k has 45 digits of the magnitudes
            # that formed it (a W that cancels to nearly 0 keeps their absolute accuracy)
            old, new = hi.params(k - 1)["w"].ravel(), hi.params(k)["w"].ravel()
            for a, b, b0, u in zip(lo.params(k)["w"].ravel(), new, old, hi.update(k)["w"].ravel()):
                assert abs(a - b) <= tol * max(abs(b), abs(b0), abs(u)), (k, a, b)


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


def _hand(f, *args):
    with mpmath.workdps(60):
        return f(*[exact(a) for a in args])


def _close(a, b, digits=45):
    with mpmath.workdps(60):
        return abs(a - b) <= mpmath.mpf(10) ** -digits * max(abs(b), mpmath.mpf(10) ** -300)


# Closed forms derived by hand for a constant gradient g from W0.
# momentum:  v_k = -lr g (1 - mu^k) / (1 - mu)
# adagrad:   h_k = k g^2
# rmsprop:   h_k = g^2 (1 - rho^k)
# adam (Algorithm 1): m_hat = g and v_hat = g^2 at every step, so each step is lr g / (|g| + eps)
# adam (eps-hat):     each step is lr g sqrt(c2) / (|g| sqrt(c2) + eps), c2 = 1 - beta2^k
# nesterov (eq. 7):  step_k = mu^2 v_(k-1) - (1 + mu) lr g with v as in momentum
CLOSED = {
    "sgd/plain": lambda k, g, lr: -lr * g,
    "momentum/book": lambda k, g, lr, mu: -lr * g * (1 - mu**k) / (1 - mu),
    "momentum/pytorch": lambda k, g, lr, mu: -lr * g * (1 - mu**k) / (1 - mu),
    "nesterov/bengio": lambda k, g, lr, mu: (mu**2 * (-lr * g * (1 - mu ** (k - 1)) / (1 - mu))
                                             - (1 + mu) * lr * g),
    "nesterov/pytorch": lambda k, g, lr, mu: (mu**2 * (-lr * g * (1 - mu ** (k - 1)) / (1 - mu))
                                              - (1 + mu) * lr * g),
    "adagrad/eps_outside": lambda k, g, lr, eps: -lr * g / (mpmath.sqrt(k) * abs(g) + eps),
    "adagrad/eps_inside": lambda k, g, lr, eps: -lr * g / mpmath.sqrt(k * g**2 + eps),
    # the accumulator starts at the double nearest 0.1: h_k = h0 + k g^2
    "adagrad/keras": lambda k, g, lr, eps: -lr * g / (mpmath.sqrt(exact(0.1) + k * g**2) + eps),
    "adagrad/tf1": lambda k, g, lr: -lr * g / mpmath.sqrt(exact(0.1) + k * g**2),
    # the average starts at 1: h_k = rho^k + g^2 (1 - rho^k)
    "rmsprop/tf1": lambda k, g, lr, rho, eps: -lr * g / mpmath.sqrt(rho**k + g**2 * (1 - rho**k) + eps),
    "rmsprop/eps_outside": lambda k, g, lr, rho, eps: -lr * g / (abs(g) * mpmath.sqrt(1 - rho**k) + eps),
    "rmsprop/eps_inside": lambda k, g, lr, rho, eps: -lr * g / mpmath.sqrt(g**2 * (1 - rho**k) + eps),
    "adam/algorithm1": lambda k, g, lr, b1, b2, eps: -lr * g / (abs(g) + eps),
    "adam/eps_hat": lambda k, g, lr, b1, b2, eps: (-lr * g * mpmath.sqrt(1 - b2**k)
                                                   / (abs(g) * mpmath.sqrt(1 - b2**k) + eps)),
}


def test_every_rule_has_a_closed_form_here():
    assert set(CLOSED) == {r.name for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(g=finite(1e-9, 1e3), w0=finite(1e-3, 1e3), data=st.data())
def test_constant_gradient_matches_the_closed_form(rule, g, w0, data):
    hypers = {h.name: data.draw(st.floats(*h.typical)) for h in rule.hypers}
    steps = 6
    traj = spec.Oracle(rule).run({"w": w0}, {"w": g}, hypers, steps=steps)
    form = CLOSED[rule.name]
    for k in range(1, steps + 1):
        want = _hand(lambda g, *h: form(k, g, *h), g, *hypers.values())
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
