"""The problems the checker draws: their shapes, regimes and dtypes, and that a draw only draws."""

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings

import spec
from checker import _strategies
from checker._strategies import KEY_NAMES, SCALES, Problem, problems

ADAM = spec.family("adam").rule("eps_hat")
PASSED = ["lr", "beta1", "beta2", "eps"]


def _draw_many(strategy, n: int = 150, at: int = 3) -> list[Problem]:
    drawn = []

    @seed(at)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(problem):
        drawn.append(problem)

    collect()
    return drawn


@pytest.fixture(scope="module")
def drawn() -> list[Problem]:
    return _draw_many(problems(ADAM, PASSED, {}))


def test_every_parameter_is_an_array_of_the_problems_dtype(drawn):
    for p in drawn:
        assert p.dtype in ("float64", "float32")
        for key, value in p.params.items():
            assert isinstance(value, np.ndarray) and value.dtype == p.dtype
            assert all(g[key].shape == value.shape and g[key].dtype == value.dtype for g in p.grads)


def test_two_or_three_keys_the_first_two_of_different_shapes_the_first_never_empty(drawn):
    for p in drawn:
        keys = list(p.params)
        assert keys == list(KEY_NAMES[:len(keys)]) and len(keys) in (2, 3)
        first, second = (p.params[k].shape for k in keys[:2])
        assert first != second
        assert p.params[keys[0]].size > 0


def test_gradients_are_zero_or_in_a_scale_parameters_zero_or_in_1e_3_to_1e3(drawn):
    for p in drawn:
        for v in p.params.values():
            m = np.abs(v.astype(np.float64))
            assert np.all((m == 0) | (m >= np.float32(1e-3) * (1 - 1e-6))
                          & (m <= np.float32(1e3) * (1 + 1e-6)))
        for g in p.grads:
            for v in g.values():
                m = np.abs(v.astype(np.float64)).ravel()
                assert all(x == 0 or any(lo * (1 - 1e-6) <= x <= hi * (1 + 1e-6) for lo, hi in SCALES)
                           for x in m)


def test_every_regime_and_both_signs_are_drawn(drawn):
    seen = set()
    for p in drawn:
        for g in p.grads:
            for v in g.values():
                for x in v.astype(np.float64).ravel():
                    scale = next((i for i, (lo, hi) in enumerate(SCALES)
                                  if lo * (1 - 1e-6) <= abs(x) <= hi * (1 + 1e-6)), None)
                    seen.add(("zero",) if x == 0 else (scale, x > 0))
    assert seen == {("zero",)} | {(i, s) for i in range(len(SCALES)) for s in (True, False)}


def test_some_parameters_are_exactly_zero_of_either_sign_most_are_not(drawn):
    # code that treats a zero parameter apart (the book's biases start at np.zeros) must
    # meet one: an SGD that nudged exact zeros to 1e-8 once passed
    values = [x for p in drawn for v in p.params.values() for x in v.astype(np.float64).ravel()]
    zeros = [x for x in values if x == 0]
    assert {np.signbit(x) for x in zeros} == {False, True}
    assert 0.05 < len(zeros) / len(values) < 0.5


def test_short_and_long_runs_a_long_run_cycles_its_first_drawn_steps(drawn):
    steps = {p.steps for p in drawn}
    assert steps & {5, 6, 7} and steps & set(range(15, 31))
    assert steps <= {5, 6, 7} | set(range(15, 31))
    for p in (p for p in drawn if p.steps > 7):
        for k in range(7, p.steps):
            for key in p.params:
                np.testing.assert_array_equal(p.grads[k][key], p.grads[k % 7][key])


def test_drawn_hyperparameters_lie_in_their_typical_ranges(drawn):
    for p in drawn:
        assert set(p.hypers) == set(PASSED)
        for name in PASSED:
            lo, hi = ADAM.hyper(name).typical
            assert lo <= p.hypers[name] <= hi


def test_fixed_hyperparameters_are_passed_through_and_flags_are_0_or_1():
    torch_sgd = spec.family("sgd").rule("torch")
    flags = [h.name for h in torch_sgd.hypers if h.flag]
    assert flags
    for p in _draw_many(problems(torch_sgd, flags, {"lr": 0.5}), n=40):
        assert p.hypers["lr"] == 0.5
        assert all(p.hypers[f] in (0.0, 1.0) for f in flags)
        assert torch_sgd.admits(p.hypers) is None


def test_a_draw_builds_no_strategy(monkeypatch):
    """Strategies are built when `problems` is called, never inside a draw: Hypothesis
    validates each strategy it builds, which per element cost more than drawing."""
    strategy = problems(ADAM, PASSED, {})

    class NoBuilding:
        def __getattr__(self, name):
            raise AssertionError(f"st.{name} called while drawing")

    monkeypatch.setattr(_strategies, "st", NoBuilding())
    assert len(_draw_many(strategy, n=20)) == 20


def test_size_key_orders_steps_first_then_elements():
    def problem(steps, size, dtype="float64"):
        params = {"W": np.ones(size, dtype=dtype), "b": np.ones(1, dtype=dtype)}
        return Problem(params, [{k: v.copy() for k, v in params.items()}] * steps, {}, dtype)

    assert problem(5, 6).size_key() < problem(15, 1).size_key()
    assert problem(5, 1).size_key() < problem(5, 6).size_key()
    assert problem(5, 1, "float64").size_key() < problem(5, 1, "float32").size_key()


def test_shapes_without_empty_arrays():
    @seed(0)
    @settings(max_examples=50, database=None, phases=[Phase.generate])
    @given(_strategies.shapes(allow_empty=False), _strategies.shapes())
    def shapes(core, any_shape):
        assert int(np.prod(core)) > 0
        assert isinstance(any_shape, tuple)

    shapes()
