"""Compare a float trajectory with the oracle's, update by update.

The update of step ``k`` (``W_k - W_(k-1)``, computed exactly from the
implementation's own floats) is compared with the exact update, within
`spec.bound.allowed_error`.  Comparing updates rather than parameters is what
finds a small relative error in a step that is tiny next to the parameter.
Errors are reported in ULPs of the parameter's dtype at the new value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np

from . import bound
from .oracle import Trajectory, exact

__all__ = ["Mismatch", "compare", "dtype_of"]


@dataclass(frozen=True)
class Mismatch:
    """One element of one step that disagrees with the oracle."""

    step: int
    key: str
    index: tuple[int, ...]
    kind: str  # "numeric", "nonfinite" or "shape"
    expected: float  # exact update, rounded to float64
    got: float  # the implementation's update (exact difference of its floats)
    error: float
    allowed: float
    ulps: float  # error in ULPs of the parameter at the new value
    allowed_ulps: float
    dtype: str

    def describe(self) -> str:
        where = f"step {self.step}, params[{self.key!r}]{list(self.index) if self.index else ''}"
        if self.kind == "shape":
            return f"{where}: the parameter changed shape, so no update can be compared"
        if self.kind == "nonfinite":
            return f"{where}: update is {self.got!r}, expected the finite {self.expected!r}"
        rel = (f"{self.error / abs(self.expected):.2g} of the step" if self.expected
               else "where the exact step is 0")
        return (f"{where}: update {self.got!r}, expected {self.expected!r} "
                f"(off by {self.error:.3g} = {self.ulps:.3g} ULP of {self.dtype}, "
                f"{rel}; a correct {self.dtype} implementation is within "
                f"{self.allowed_ulps:.3g} ULP)")


def dtype_of(value: Any) -> np.dtype:
    """The working precision of a parameter: its dtype, float64 for Python floats."""
    arr = np.asarray(value)
    return arr.dtype if np.issubdtype(arr.dtype, np.floating) else np.dtype(np.float64)


def _as_exact(value: Any, shape) -> list:
    arr = np.asarray(value, dtype=np.float64)
    if arr.shape != shape:
        raise ValueError(f"shape {arr.shape} where the oracle has {shape}")
    return [float(x) for x in arr.ravel()]


def compare(traj: Trajectory, got: Sequence[Mapping[str, Any]], limit: int | None = None,
            strict: bool = False) -> list[Mismatch]:
    """Every element where ``got`` leaves the oracle's bound, in step order.

    ``got[0]`` is the initial parameters, ``got[k]`` the parameters after step
    ``k``; the oracle must have run with ``bounds=True``.  ``limit`` stops after
    that many mismatches.  Where the oracle itself is not finite anything is
    accepted, unless ``strict``: then the implementation must not be finite
    either (to say that code makes a mistake that ends in 0/0, it must).
    """
    out: list[Mismatch] = []
    with mpmath.workdps(traj.dps):
        for k in range(1, len(got)):
            step = traj.steps[k - 1]
            if step.error is None:
                raise ValueError("compare needs an oracle trajectory run with bounds=True")
            exact_update = traj.update(k)
            for key in step.params:
                dt = dtype_of(got[k][key])
                shape = step.params[key].shape
                try:
                    new = _as_exact(got[k][key], shape)
                    old = _as_exact(got[k - 1][key], shape)
                except ValueError:
                    out.append(Mismatch(k, key, (), "shape", math.nan, math.nan, math.inf, 0.0,
                                        math.inf, 0.0, dt.name))
                    if limit is not None and len(out) >= limit:
                        return out
                    continue
                f32 = step.error_f32
                allowed = bound.allowed_error(
                    [float(e) for e in step.error[key].ravel()],
                    list(step.underflow[key].ravel()), dt,
                    None if f32 is None else [float(f) for f in f32[key].ravel()])
                ulps = (bound.ulp(new, dt) if new else np.zeros(0)).tolist()  # floats: inf past the top
                for i, (a, b) in enumerate(zip(new, old)):
                    want = exact_update[key].flat[i]
                    index = np.unravel_index(i, shape) if shape else ()
                    index = tuple(int(j) for j in index)
                    finite = math.isfinite(a) and math.isfinite(b)
                    if not mpmath.isfinite(want):
                        # the spec itself is not finite here (0/0 with eps = 0): nothing a
                        # float implementation does is wrong, unless strict asks for 0/0 too
                        if strict and finite:
                            out.append(Mismatch(k, key, index, "numeric", float(want), a - b,
                                                math.inf, 0.0, math.inf, 0.0, dt.name))
                    elif not finite:
                        out.append(Mismatch(k, key, index, "nonfinite", float(want), a - b,
                                            math.inf, float(allowed[i]), math.inf,
                                            float(allowed[i] / ulps[i]), dt.name))
                    else:
                        have = exact(a) - exact(b)
                        err = float(abs(have - want))
                        if not err <= allowed[i]:  # a NaN bound accepts nothing
                            out.append(Mismatch(k, key, index, "numeric", float(want), float(have),
                                                err, float(allowed[i]), err / ulps[i],
                                                float(allowed[i] / ulps[i]), dt.name))
                    if limit is not None and len(out) >= limit:
                        return out
    return out
