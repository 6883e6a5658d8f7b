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
    return (f"hypothesis profile: {os.environ.get('HYPOTHESIS_PROFILE', 'default')}; "
            f"code cache: {os.environ.get('OPTIMIZER_CONFORMANCE_CACHE')}")


_CACHE: list[str] = []  # the session's own folder, where this process made one


def pytest_configure(config):
    """The generated code's cache (`spec._cache`): a folder of the session's own, empty at
    its start, shared by the xdist workers and every process the tests start (they inherit
    the variable), so that each rule's bound is derived once a session and the suite's time
    is that of a machine with no cache; the user's own is neither read nor filled.  An
    ``OPTIMIZER_CONFORMANCE_CACHE`` already set is kept."""
    if hasattr(config, "workerinput") or "OPTIMIZER_CONFORMANCE_CACHE" in os.environ:
        return
    import tempfile

    _CACHE.append(tempfile.mkdtemp(prefix="optimizer-conformance-cache-"))
    os.environ["OPTIMIZER_CONFORMANCE_CACHE"] = _CACHE[0]


def pytest_unconfigure(config):
    import shutil

    while _CACHE:
        shutil.rmtree(_CACHE.pop(), ignore_errors=True)
        del os.environ["OPTIMIZER_CONFORMANCE_CACHE"]


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
