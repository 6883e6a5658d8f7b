"""AdaGrad (Duchi, Hazan and Singer, 2011), diagonal form.

.. math::  h \\leftarrow h + g^2, \\qquad W \\leftarrow W - \\eta\\, g / (\\sqrt{h} + \\epsilon)

``eps_outside`` is the book's code (eps = 1e-7 hard-coded), PyTorch's
``Adagrad`` (eps = 1e-10, ``initial_accumulator_value = 0``) and tf.keras'
(eps = 1e-7, but the accumulator starts at 0.1).

``eps_inside`` puts epsilon under the root, ``g / sqrt(h + eps)``, as some study
notes write the formula (seed 001) while their code does the other; it is not
equal to ``eps_outside`` for any eps > 0 (proven in `spec.relations`).
"""

from ._fragments import (BOOK, EPS, KERAS, LR, PYTORCH, accumulate, descend, eps, lr,
                         root_denominator, state, with_defaults)
from ._rule import G, W, Family, Rule, Source

_BOOK = Source("book", BOOK + " class AdaGrad", {"lr": 0.01, "eps": 1e-7}, ("eps",))
_TORCH = Source("pytorch", PYTORCH + ".Adagrad (initial_accumulator_value=0, lr_decay=0)",
                {"lr": 0.01, "eps": 1e-10})
_NOTES = Source("notes", "the formula W <- W - lr g / sqrt(h + eps) of study notes (seed 001)",
                {"lr": 0.01, "eps": 1e-7})

_H = state("h", "h", "sum of squared gradients", nonnegative=True)
_HYPERS = [lr(0.01), eps(1e-7)]


def _adagrad(variant: str, eps_inside: bool, sources, summary, difference=None) -> Rule:
    h = _H.symbol
    return Rule(
        family="adagrad",
        variant=variant,
        title="AdaGrad" + (" (epsilon inside the root)" if eps_inside else ""),
        hypers=with_defaults(_HYPERS, sources[0]),
        states=(_H,),
        assignments=(
            (h, accumulate(h, G**2)),
            (W, descend(W, LR, G / root_denominator(h, EPS, eps_inside))),
        ),
        sources=tuple(sources),
        summary=summary,
        difference=difference,
    )


EPS_OUTSIDE = _adagrad("eps_outside", False, (_BOOK, _TORCH),
                       "h <- h + g^2;  W <- W - lr g / (sqrt(h) + eps)")
EPS_INSIDE = _adagrad("eps_inside", True, (_NOTES,),
                      "h <- h + g^2;  W <- W - lr g / sqrt(h + eps)",
                      "epsilon inside the square root; the book and PyTorch put it outside")

FAMILY = Family("adagrad", "AdaGrad", __doc__, (EPS_OUTSIDE, EPS_INSIDE), "AdaGrad")
