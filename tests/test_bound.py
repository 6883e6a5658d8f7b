"""The error bound and the update comparison built on it."""

import math

import mpmath

import numpy as np
import pytest
from hypothesis import given, strategies as st

import spec
from spec import bound
from spec.compare import compare

RULES = spec.all_rules()


def _run_exact(rule, params, grads, hypers, dtype):
    """A 'perfect' implementation: the oracle's parameters correctly rounded to dtype."""
    traj = spec.Oracle(rule).run(params, grads, hypers, bounds=True)
    got = [{k: np.asarray(v, dtype=dtype) for k, v in params.items()}]
    got += [traj.as_float(k, dtype) for k in range(1, len(grads) + 1)]
    return traj, got


TORCH_ZEROS = ("momentum", "dampening", "weight_decay")  # 0 is their default, and a branch


def _hypers(rule, data, may_be_zero) -> dict:
    """Hyperparameters from their typical ranges (or 0 where ``may_be_zero``), flags 0 or 1,
    a flag the combination does not admit turned off."""
    hypers = {}
    for h in rule.hypers:
        if h.flag:
            hypers[h.name] = data.draw(st.sampled_from([0.0, 1.0]))
        elif may_be_zero(h):
            hypers[h.name] = data.draw(st.one_of(st.just(0.0), st.floats(*h.typical)))
        else:
            hypers[h.name] = data.draw(st.floats(*h.typical))
    for h in rule.flags:
        if rule.admits(hypers) is not None:
            hypers[h.name] = 0.0
    return hypers


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_correctly_rounded_results_are_within_the_bound(rule, data):
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    w = np.array(data.draw(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=3)), dtype=dtype)
    gs = st.one_of(st.floats(-1e-6, 1e-6), st.floats(-10, 10), st.just(0.0))
    grads = [{"w": np.array(data.draw(st.lists(gs, min_size=3, max_size=3)), dtype=dtype)}
             for _ in range(5)]
    hypers = _hypers(rule, data, lambda h: rule.api == "torch" and h.name in TORCH_ZEROS)
    traj, got = _run_exact(rule, {"w": w}, grads, hypers, dtype)
    assert compare(traj, got) == []


def _perturbed_adam(rel):
    """Adam whose every step is off by a relative ``rel``, under W = 1000 x the step."""
    rule = spec.get("adam", "algorithm1")
    params = {"w": np.array([1.0, -2.0, 3.0])}  # steps are about lr = 1e-3
    rng = np.random.default_rng(1)
    grads = [{"w": rng.normal(size=3)} for _ in range(7)]
    traj = spec.Oracle(rule).run(params, grads, bounds=True)
    got = [{"w": params["w"].copy()}]
    w = params["w"].copy()
    for k in range(1, 8):
        w = w + np.array([float(x) for x in traj.update(k)["w"]]) * (1 + rel)
        got.append({"w": w.copy()})
    return traj, got


def test_a_relative_error_of_1e_6_in_the_step_is_caught():
    traj, got = _perturbed_adam(1e-6)
    found = compare(traj, got)
    assert found and found[0].step == 1 and found[0].kind == "numeric"
    # ... which a PyTorch-style comparison of parameters after 7 steps misses
    exact7 = traj.as_float(7)["w"]
    assert np.allclose(got[7]["w"], exact7, rtol=1e-7, atol=0)


def test_the_bound_is_far_below_what_matters():
    # in float64 a correct update may be off by about 1e-13 of the step, no more
    traj, got = _perturbed_adam(0.0)
    assert compare(traj, got) == []
    for k in range(1, 8):
        step_k = traj.steps[k - 1]
        allowed = bound.allowed_error([float(e) for e in step_k.error["w"]],
                                      [float(d) for d in step_k.underflow["w"]], np.float64)
        step = np.abs([float(x) for x in traj.update(k)["w"]])
        w = np.abs(got[k]["w"])
        # what is allowed beyond the final rounding of W is tiny next to the step
        assert np.all(allowed - bound.FACTOR * bound.unit_roundoff(np.float64) * w < 1e-10 * step)


def test_a_nonfinite_update_where_the_spec_is_finite_is_reported():
    traj, got = _perturbed_adam(0.0)
    got[3]["w"] = got[3]["w"].copy()
    got[3]["w"][1] = np.nan
    found = compare(traj, got)
    assert found[0].kind == "nonfinite" and found[0].step == 3 and found[0].index == (1,)
    assert "nan" in found[0].describe()


def test_a_nonfinite_spec_accepts_anything():
    # eps = 0 and g = 0: the spec itself is 0/0
    traj = spec.Oracle("adagrad").run({"w": 1.0}, {"w": 0.0}, {"eps": 0.0}, steps=1, bounds=True)
    assert compare(traj, [{"w": 1.0}, {"w": math.nan}]) == []


def test_mismatch_describes_step_key_index_and_ulps():
    traj, got = _perturbed_adam(1e-3)
    m = compare(traj, got, limit=1)[0]
    text = m.describe()
    assert "step 1" in text and "params['w'][0]" in text and "ULP of float64" in text
    assert m.ulps > m.allowed_ulps


def test_ulp_and_unit_roundoff():
    assert bound.unit_roundoff(np.float64) == 2.0**-53
    assert bound.unit_roundoff(np.float32) == 2.0**-24
    assert bound.ulp(1.0, np.float64) == 2.0**-52
    assert bound.ulp([1.0], np.float32)[0] == 2.0**-23


def test_limit_applies_to_nonfinite_mismatches_too():
    traj, got = _perturbed_adam(0.0)
    got[2]["w"] = np.full(3, np.nan)
    assert len(compare(traj, got, limit=1)) == 1


def test_compare_is_reachable_from_the_package():
    import spec as s
    assert s.compare.compare is compare


# -- branches, flags and float32 states ----------------------------------------------------
def test_a_flag_that_is_off_costs_nothing_in_the_bound():
    """adam/torch with its switches off has exactly Algorithm 1's bound: the maximize sign,
    the L2 term of a zero weight decay and AMSGrad's maximum are not computed, so not counted."""
    params = {"w": np.array([1.0, -2.0, 3.0])}
    grads = [{"w": np.array([0.3, -1e-7, 2.0])} for _ in range(4)]
    a = spec.Oracle(spec.get("adam", "algorithm1")).run(params, grads, bounds=True)
    t = spec.Oracle(spec.get("adam", "torch")).run(params, grads, bounds=True)
    for k in range(4):
        assert list(a.steps[k].error["w"]) == list(t.steps[k].error["w"])
        assert list(a.steps[k].underflow["w"]) == list(t.steps[k].underflow["w"])


def test_the_bound_takes_the_branch_the_exact_values_select():
    """RAdam's rectifier is the root of a negative number at t = 3 and 4: its bound is
    never evaluated there, and from t = 6 it is (finite, and larger than SGD's)."""
    rule = spec.get("radam", "torch")
    traj = spec.Oracle(rule).run({"w": np.array([0.5])}, {"w": np.array([1.0])}, steps=7,
                                 bounds=True)
    errors = [float(s.error["w"][0]) for s in traj.steps]
    assert all(math.isfinite(e) for e in errors)
    # momentum == 0 in torch's SGD: no buffer, so the bound is plain SGD's
    plain = spec.Oracle("sgd").run({"w": 0.5}, [{"w": 0.25}] * 3, {"lr": 0.1}, bounds=True)
    torch_sgd = spec.Oracle(spec.get("sgd", "torch")).run({"w": 0.5}, [{"w": 0.25}] * 3,
                                                          {"lr": 0.1, "dampening": 0.3},
                                                          bounds=True)
    assert [s.error["w"].item() for s in plain.steps] == \
        [s.error["w"].item() for s in torch_sgd.steps]


def test_float32_state_errors_are_allowed_in_float32_units():
    e, d, f = [1.0], [0.0], [1.0]
    without = bound.allowed_error(e, d, np.float64)
    with_f32 = bound.allowed_error(e, d, np.float64, f)
    assert with_f32[0] - without[0] == bound.FACTOR * bound.unit_roundoff(np.float32)
    assert bound.allowed_error(e, d, np.float32, [0.0])[0] == \
        bound.allowed_error(e, d, np.float32)[0]


def test_a_zero_first_gradient_under_decoupled_decay_is_still_checked():
    rule = spec.get("adam", "torch")
    hypers = dict(rule.defaults, weight_decay=0.01, decoupled_weight_decay=1)
    params = {"W": np.array([1.5, -0.7])}
    grads = [{"W": np.array([0.0, 0.3])}, {"W": np.array([0.2, 0.1])}]
    traj, got = _run_exact(rule, params, grads, hypers, np.float64)
    assert all(math.isfinite(float(s.underflow["W"][0])) for s in traj.steps)
    got[2]["W"] = got[2]["W"].copy()
    got[2]["W"][0] += 0.5  # a wrong second step on the element whose first gradient was 0
    assert compare(traj, got), "a step 0.5 off was accepted"


@pytest.mark.parametrize("rule", [spec.get("adam", "algorithm1"), spec.get("rmsprop", "torch"),
                                  spec.get("adagrad", "eps_outside")], ids=lambda r: r.name)
def test_an_element_whose_gradient_is_still_zero_must_not_move(rule):
    # v = 0 under the root: an underflow counted at an exact 0 once made the bound NaN,
    # and a NaN bound accepted anything on that element
    params = {"W": np.array([0.0, 1.5])}  # at 0 nothing rounds: the bound is exactly 0
    grads = [{"W": np.array([0.0, 0.3])}, {"W": np.array([0.0, 0.1])}]
    traj, got = _run_exact(rule, params, grads, dict(rule.defaults), np.float64)
    got[1]["W"] = got[1]["W"].copy()
    got[1]["W"][0] += 1e-300
    wrong = compare(traj, got)
    assert wrong and wrong[0].step == 1 and {m.index for m in wrong} == {(0,)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
@given(data=st.data())
def test_the_bound_is_finite_wherever_the_update_is(rule, data):
    """Exact zeros (gradients, a state at 0 under a root, a rate of 0) must not make the
    bound infinite or NaN: ``err > allowed`` is false for both, so anything would pass."""
    hypers = _hypers(rule, data, lambda h: h.domain.is_rate or h.name in TORCH_ZEROS)
    if rule.admits(hypers) is not None:
        return
    values = st.one_of(st.just(0.0), st.just(-0.0), st.floats(-1e-6, 1e-6), st.floats(-10, 10),
                       st.sampled_from([5e-324, -5e-324, 1e-160]))
    w = np.array(data.draw(st.lists(values, min_size=3, max_size=3)))
    grads = [{"w": np.array(data.draw(st.lists(values, min_size=3, max_size=3)))}
             for _ in range(3)]
    traj = spec.Oracle(rule).run({"w": w}, grads, hypers, bounds=True)
    for k, s in enumerate(traj.steps, start=1):
        update = traj.update(k)["w"].ravel()
        for i, (e, d) in enumerate(zip(s.error["w"].ravel(), s.underflow["w"].ravel())):
            if math.isfinite(float(update[i])):
                assert mpmath.isfinite(e) and mpmath.isfinite(d), (k, i, e, d)
                for dtype in (np.float64, np.float32):
                    allowed = bound.allowed_error([float(e)], [d], dtype)[0]
                    assert math.isfinite(allowed), (k, i, e, d, dtype)
