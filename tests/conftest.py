"""Hypothesis profiles: a fast default, and ``thorough`` for deeper runs.

Select with ``HYPOTHESIS_PROFILE=thorough pytest``.  The default keeps the whole
suite within a few minutes on a 2-core machine.
"""

import os

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
