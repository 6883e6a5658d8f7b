"""What a check finds, and the report it makes of it.

Every finding has one shape: a ``kind`` (what went wrong: ``numeric``,
``inplace``, ...), a ``status`` (pass, fail, warn), the property it belongs to,
a one-line ``message``, and for a failure the details a person needs: where
(step, key, index), observed against expected, by how much, the variant or
mistake it is closest to, and a runnable reproduction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["KINDS", "Finding", "Report"]

#: Finding kinds.  These names are a public contract (``--json``): never rename.
KINDS = (
    "load",           # cannot be compiled or imported, or fails while its class body runs
    "crash",          # raises in __init__ or update
    "timeout",        # a call did not return in time
    "exit",           # the process ended or was killed
    "numeric",        # differs from every recognised variant
    "nonfinite",      # NaN or inf where the spec is finite
    "inplace",        # arrays not updated in place, or a dict returned instead
    "grads-mutated",  # the caller's gradients changed
    "dtype",          # dtype or shape changed
    "state",          # state leaks between instances or keys, or is lost
    "api",            # the object does not have the expected interface
    "variant",        # a recognised but non-canonical variant (a warning)
    "static",         # found by reading the source (e.g. `== None`)
    "deterministic",  # the same inputs gave different results
    "defaults",       # a default no recognised source uses (a warning)
)


@dataclass
class Finding:
    kind: str
    status: str  # "pass", "fail" or "warn"
    property: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    repro: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")
        if self.status not in ("pass", "fail", "warn"):
            raise ValueError(f"unknown finding status {self.status!r}")

    def to_json(self) -> dict:
        out = asdict(self)
        if out["repro"] is None:
            del out["repro"]
        return out


@dataclass
class Report:
    target: str
    rule: str | None
    variant: str | None = None
    api: str | None = None  # book, booklist, cs231n or torch
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    seed: int | None = None
    profile: str = "default"
    output: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    mistake: dict | None = None  # the named mistake a failure matches: name, variant, message
    defaults: dict = field(default_factory=dict)  # constructor defaults beside the sources'
    sandbox: str = ""  # how the target was contained (`_sandbox`), or "none: why"
    rerun: str = ""  # the command line (or call) that reruns this check exactly
    plots: dict | None = None  # the HTML report's plot data (`checker._paths`), if asked
    trace: dict | None = None  # the symbolic trace (`checker._trace`): a failure's, or asked

    @property
    def verdict(self) -> str:
        return "fail" if any(f.status == "fail" for f in self.findings) else "pass"

    def add(self, finding: Finding) -> Finding:
        self.findings.append(finding)
        return finding

    def __str__(self) -> str:
        """The terminal report, as ``python -m checker`` prints it."""
        from ._report import render
        return render(self)

    def __repr__(self) -> str:
        # Short enough to survive pytest's truncation of an assertion message (240
        # characters): the verdict and what failed; str(report) is the whole report.
        failed = ", ".join(dict.fromkeys(f.property for f in self.findings if f.status == "fail"))
        what = f"; failed: {failed}" if failed else ""
        mistake = f"; {self.mistake['name']}" if self.mistake and self.mistake.get("name") else ""
        return (f"<Report {self.verdict.upper()} {self.target} ({self.variant or self.rule}, "
                f"seed {self.seed}){what}{mistake}>")

    def to_html(self) -> str:
        """The report as one self-contained HTML page, with its plots drawn as inline SVG
        when the check computed their data (``check(..., plots=True)``; needs matplotlib,
        the ``[report]`` extra; without plot data, none is needed)."""
        from ._html import to_html
        return to_html(self)

    def _repr_html_(self) -> str:
        """In Jupyter: the HTML report with its plots when their data is there (and
        matplotlib is installed); else the terminal report, its layout kept."""
        import html
        if self.plots is not None:
            from ._html import have_matplotlib, to_html
            if have_matplotlib():
                return to_html(self, fragment=True)
        colour = "#1a7f37" if self.verdict == "pass" else "#cf222e"
        return (f'<div style="border-left: 4px solid {colour}; padding-left: 8px">'
                f'<pre style="white-space: pre-wrap">{html.escape(str(self))}</pre></div>')

    def failed_kinds(self) -> list[str]:
        return [f.kind for f in self.findings if f.status == "fail"]

    def to_json(self) -> dict:
        return {
            "target": self.target,
            "sandbox": self.sandbox,
            "rule": self.rule,
            "api": self.api,
            "verdict": self.verdict,
            "variant": self.variant,
            "mistake": self.mistake,
            "hyperparameters": self.hyperparameters,
            "inferred": {k: v["value"] for k, v in self.hyperparameters.items()
                         if "inferred" in v.get("how", "")},
            "defaults": self.defaults,
            "findings": [f.to_json() for f in self.findings],
            "seed": self.seed,
            "profile": self.profile,
            "warnings": self.warnings,
            "output": self.output,
            "elapsed": round(self.elapsed, 3),
            "rerun": self.rerun,
            **({"plots": self.plots} if self.plots is not None else {}),
            **({"trace": self.trace} if self.trace is not None else {}),
        }
