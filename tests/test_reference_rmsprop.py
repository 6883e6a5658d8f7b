"""reference.RMSprop is exactly spec rmsprop/eps_outside, not rmsprop/eps_inside."""

import numpy as np
import pytest
from hypothesis import given

import reference_helpers as helpers
import spec
from reference import RMSprop
from strategies import Problem, problems

RULE = spec.get("rmsprop", "eps_outside")


@given(problems(RULE))
def test_matches_the_oracle(problem):
    helpers.assert_matches_oracle(RMSprop, RULE, problem)


@given(problems())
def test_matches_the_oracle_with_defaults(problem):
    helpers.assert_matches_oracle(RMSprop, RULE, problem)


@given(problems(RULE, plan="tiny"))
def test_matches_the_oracle_where_eps_dominates(problem):
    helpers.assert_matches_oracle(RMSprop, RULE, problem)


def test_defaults_are_the_spec_defaults():
    helpers.assert_defaults_are_the_spec_defaults(RMSprop, RULE)


def test_updates_in_place():
    helpers.assert_updates_in_place(RMSprop)


@given(problems(RULE, steps=(2, 4)))
def test_state_is_per_instance(problem):
    helpers.assert_state_is_per_instance(RMSprop, problem)


@given(problems(RULE, steps=(3, 5)))
def test_late_key_gets_fresh_state(problem):
    helpers.assert_late_key_gets_fresh_state(RMSprop, RULE, problem)


@pytest.mark.parametrize("name, value", helpers.bad_arguments(RULE))
def test_rejects_bad_argument(name, value):
    helpers.assert_rejects(RMSprop, name, value)


def test_is_not_eps_inside():
    # under the root eps acts like eps**2 outside it, so tiny gradients tell them apart
    problem = Problem({"w": np.array([1.0, -2.0, 0.5])},
                      [{"w": np.array([1e-6, -3e-7, 2e-8])}] * 3)
    helpers.assert_matches_oracle(RMSprop, RULE, problem)
    found = helpers.assert_differs_from(RMSprop, spec.get("rmsprop", "eps_inside"), problem)
    assert found[0].step == 1
