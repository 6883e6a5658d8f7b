"""reference.Nesterov is exactly spec nesterov/bengio, not nesterov/pytorch."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_helpers as helpers
import spec
from reference import Nesterov
from strategies import Problem, learning_rates, problems

RULE = spec.get("nesterov", "bengio")


@given(problems(RULE))
def test_matches_the_oracle(problem):
    helpers.assert_matches_oracle(Nesterov, RULE, problem)


@given(problems())
def test_matches_the_oracle_with_defaults(problem):
    helpers.assert_matches_oracle(Nesterov, RULE, problem)


@given(st.data(), problems(RULE))
def test_matches_the_oracle_when_lr_changes(data, problem):
    lrs = data.draw(learning_rates(RULE, len(problem.grads)), label="lrs")
    helpers.assert_matches_oracle(Nesterov, RULE, problem, lrs)


def test_defaults_are_the_spec_defaults():
    helpers.assert_defaults_are_the_spec_defaults(Nesterov, RULE)


def test_updates_in_place():
    helpers.assert_updates_in_place(Nesterov)


@given(problems(RULE, steps=(2, 4)))
def test_state_is_per_instance(problem):
    helpers.assert_state_is_per_instance(Nesterov, problem)


@given(problems(RULE, steps=(3, 5)))
def test_late_key_gets_fresh_state(problem):
    helpers.assert_late_key_gets_fresh_state(Nesterov, RULE, problem)


@pytest.mark.parametrize("name, value", helpers.bad_arguments(RULE))
def test_rejects_bad_argument(name, value):
    helpers.assert_rejects(Nesterov, name, value)


def test_is_not_the_pytorch_form_once_lr_changes():
    # the velocity remembers the old lr; PyTorch's buffer of raw gradients does not
    problem = Problem({"w": np.array([1.0, -2.0, 0.5])}, [{"w": np.array([0.5, -1.0, 2.0])}] * 4)
    lrs = [0.1, 0.1, 0.01, 0.01]
    helpers.assert_matches_oracle(Nesterov, RULE, problem, lrs)
    found = helpers.assert_differs_from(Nesterov, spec.get("nesterov", "pytorch"), problem, lrs)
    assert found[0].step == 3
