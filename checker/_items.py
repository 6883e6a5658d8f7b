"""A report's findings as a fixed list of test items, each with a weight for grading.

One list for every API, in the report's order, so that a test id (``agreement``,
``lr_change``) means the same thing for every target, an expected-failures file can
name it, and a grade out of 100 is comparable between submissions.  A property the
API has no check for (in-place updates for CS231n's functions) passes with a note;
a property that was never judged because an earlier one failed (nothing runs after
a failed load) is not given credit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._findings import Finding, Report

__all__ = ["ITEMS", "WEIGHTS", "Outcome", "outcome", "outcomes"]

#: (item, what it checks, the report properties it covers)
ITEMS = (
    ("load", "the target loads, has the API's interface and builds with its defaults",
     ("load", "interface", "source", "defaults", "construct with the defaults")),
    ("agreement", "the updates agree with the oracle of a recognised variant",
     ("agreement with the oracle", "variant", "first updates")),
    ("lr_change", "a change of the learning rate between steps takes effect", ("lr change",)),
    ("in_place", "the parameter arrays are updated in place", ("in-place update",)),
    ("grads_untouched", "the gradients are left as they were", ("gradients untouched",)),
    ("dtype", "dtype and shape are preserved (float32 and float64)", ("dtype and shape preserved",)),
    ("deterministic", "the same inputs give the same results", ("deterministic",)),
    ("state_keys", "state is kept apart between parameters", ("state isolated between keys",)),
    ("state_instances", "state is kept apart between optimizer instances",
     ("state isolated between instances",)),
    ("api", "the API's own checks (Python float parameters; CS231n's config)",
     ("Python float parameters", "config carries the state", "called without config",
      "defaults without config")),
)

#: Partial credit out of 100: agreement with the oracle counts most; warnings cost nothing.
WEIGHTS = {"load": 10, "agreement": 40, "lr_change": 10, "in_place": 10, "grads_untouched": 5,
           "dtype": 5, "deterministic": 5, "state_keys": 5, "state_instances": 5, "api": 5}

_OWNER = {prop: item for item, _, props in ITEMS for prop in props}


def item_of(finding: Finding) -> str:
    """The item a finding belongs to; a property this table does not know counts as ``api``
    (the API-specific checks), so that no finding is ever dropped from a grade."""
    return _OWNER.get(finding.property, "api")


@dataclass
class Outcome:
    item: str
    status: str  # "passed", "failed" or "skipped" (not judged: an earlier property failed)
    message: str  # what a person reads: the failing findings with their reproduction
    warnings: list[str]


def outcome(report: Report, item: str) -> Outcome:
    mine = [f for f in report.findings if item_of(f) == item]
    failed = [f for f in mine if f.status == "fail"]
    warned = [f"{f.property}: {f.message.splitlines()[0] if f.message else ''}"
              for f in mine if f.status == "warn"]
    if failed:
        from ._report import finding_lines, header, trace_lines  # NumPy: only for a failure
        lines = [header(report)]
        if report.variant:
            lines.append(f"  variant: {report.variant}")
        for f in failed:
            lines += finding_lines(f)
        if report.trace and item == "agreement":  # which term is wrong, where the numbers are
            lines += trace_lines(report.trace)
        if report.rerun:
            lines.append(f"rerun: {report.rerun}")
        return Outcome(item, "failed", "\n".join(lines), warned)
    if mine:
        passed = [f for f in mine if f.status == "pass"]
        text = "; ".join(f"{f.property}: {f.message.splitlines()[0]}" for f in passed) or "held"
        return Outcome(item, "passed", text, warned)
    first = next((f for f in report.findings if f.status == "fail"), None)
    if first is not None:
        return Outcome(item, "skipped", f"not judged: {first.property} failed first "
                                        f"({item_of(first)})", warned)
    return Outcome(item, "passed", f"no check of this kind for the {report.api or 'target'}'s API",
                   warned)


def outcomes(report: Report) -> list[Outcome]:
    return [outcome(report, item) for item, _, _ in ITEMS]
