"""Judge any optimizer implementation against the oracle generated from `spec`.

>>> from checker import check
>>> report = check("reference.Adam", seed=1)      # doctest: +SKIP
>>> report.verdict, report.variant
('pass', 'adam/eps_hat')
>>> print(report)                                  # doctest: +SKIP  (the terminal report)
>>> assert_conforms(MyAdam, rule="adam")           # doctest: +SKIP  (AssertionError: the report)

The code under test runs in a separate worker process; see ``python -m checker --help``.
"""

from ._check import assert_conforms, check
from ._errors import UsageError
from ._findings import KINDS, Finding, Report
from ._load import load_class

__all__ = ["KINDS", "Finding", "Report", "UsageError", "assert_conforms", "check", "load_class"]
