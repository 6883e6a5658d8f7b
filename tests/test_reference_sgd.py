"""reference.SGD is exactly spec sgd/plain."""

import pytest
from hypothesis import given

import reference_helpers as helpers
import spec
from reference import SGD
from strategies import problems

RULE = spec.get("sgd", "plain")


@given(problems(RULE))
def test_matches_the_oracle(problem):
    helpers.assert_matches_oracle(SGD, RULE, problem)


@given(problems())
def test_matches_the_oracle_with_defaults(problem):
    helpers.assert_matches_oracle(SGD, RULE, problem)


def test_defaults_are_the_spec_defaults():
    helpers.assert_defaults_are_the_spec_defaults(SGD, RULE)


def test_updates_in_place():
    helpers.assert_updates_in_place(SGD)


@given(problems(RULE, steps=(2, 4)))
def test_state_is_per_instance(problem):
    helpers.assert_state_is_per_instance(SGD, problem)


@given(problems(RULE, steps=(3, 5)))
def test_late_key_gets_fresh_state(problem):
    helpers.assert_late_key_gets_fresh_state(SGD, RULE, problem)


@pytest.mark.parametrize("name, value", helpers.bad_arguments(RULE))
def test_rejects_bad_argument(name, value):
    helpers.assert_rejects(SGD, name, value)
