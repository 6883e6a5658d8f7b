"""reference.Adam is exactly spec adam/eps_hat (the book's form), not Algorithm 1."""

import numpy as np
import pytest
from hypothesis import given

import reference_helpers as helpers
import spec
from reference import Adam
from strategies import Problem, problems

RULE = spec.get("adam", "eps_hat")


@given(problems(RULE))
def test_matches_the_oracle(problem):
    helpers.assert_matches_oracle(Adam, RULE, problem)


@given(problems())
def test_matches_the_oracle_with_defaults(problem):
    helpers.assert_matches_oracle(Adam, RULE, problem)


@given(problems(RULE, plan="tiny"))
def test_matches_the_oracle_where_eps_dominates(problem):
    helpers.assert_matches_oracle(Adam, RULE, problem)


def test_defaults_are_the_spec_defaults():
    helpers.assert_defaults_are_the_spec_defaults(Adam, RULE)


def test_updates_in_place():
    helpers.assert_updates_in_place(Adam)


@given(problems(RULE, steps=(2, 4)))
def test_state_is_per_instance(problem):
    helpers.assert_state_is_per_instance(Adam, problem)


@given(problems(RULE, steps=(3, 5)))
def test_late_key_gets_fresh_state(problem):
    helpers.assert_late_key_gets_fresh_state(Adam, RULE, problem)


def test_step_counter_advances_once_per_update():
    opt = Adam()
    opt.update({"a": np.ones(2), "b": np.ones(3)}, {"a": np.ones(2), "b": np.ones(3)})
    assert opt.t == 1


@pytest.mark.parametrize("name, value", helpers.bad_arguments(RULE))
def test_rejects_bad_argument(name, value):
    helpers.assert_rejects(Adam, name, value)


def test_is_not_algorithm1():
    # v near eps**2: epsilon-hat meets the uncorrected v, Algorithm 1's eps the corrected one
    problem = Problem({"w": np.array([1.0, -2.0, 0.5])},
                      [{"w": np.array([1e-9, -3e-9, 2e-9])}] * 4)
    helpers.assert_matches_oracle(Adam, RULE, problem)
    found = helpers.assert_differs_from(Adam, spec.get("adam", "algorithm1"), problem)
    assert found[0].step == 1
