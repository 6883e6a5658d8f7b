"""Judge any optimizer implementation against the oracle generated from `spec`.

>>> from checker import check
>>> report = check("reference.Adam", seed=1)      # doctest: +SKIP
>>> report.verdict, report.variant
('pass', 'adam/eps_hat')
>>> print(report)                                  # doctest: +SKIP  (the terminal report)
>>> assert_conforms(MyAdam, rule="adam")           # doctest: +SKIP  (AssertionError: the report)

The code under test runs in a separate worker process; see ``python -m checker --help``.
"""

from ._errors import UsageError
from ._findings import KINDS, Finding, Report

_LAZY = {"check": "._check", "assert_conforms": "._check", "load_class": "._load"}


def __getattr__(name: str):
    # `check` brings SymPy, the spec and NumPy (seconds): imported on first use, so that
    # `import checker` (and the pytest plugin, loaded in every pytest run) stays cheap
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'checker' has no attribute {name!r}")

__all__ = ["KINDS", "Finding", "Report", "UsageError", "assert_conforms", "check", "load_class"]
