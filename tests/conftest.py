"""Hypothesis profiles: a fast default, and ``thorough`` for deeper runs.

Select with ``HYPOTHESIS_PROFILE=thorough pytest``.  The default keeps the whole
suite within a few minutes on a 2-core machine.

Also the module fixtures ``torch_template`` and ``jax_template``: one warm template per
test module for the tests that open their own sessions; and ``warm_checks``, for a module
whose checks fork from the test process's templates (``warm_checker.check_warm``).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_report_header(config):
    return f"hypothesis profile: {os.environ.get('HYPOTHESIS_PROFILE', 'default')}"


def _template(framework: str):
    """One template with ``framework`` imported, for a module's sessions: each worker forks
    from it (each Session would otherwise start its own and import the framework again)."""
    from checker._isolation import start_template

    template = start_template((framework,))
    yield template
    template.close()


@pytest.fixture(scope="module")
def warm_checks():
    """For a module whose checks use ``warm_checker.check_warm``: its templates are closed
    when the module's tests are done (a test elsewhere may look for processes left over)."""
    from warm_checker import close_warm

    yield
    close_warm()


@pytest.fixture(scope="module")
def jax_template():
    yield from _template("jax")


@pytest.fixture(scope="module")
def torch_template():
    yield from _template("torch")
