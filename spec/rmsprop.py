"""RMSProp (Tieleman and Hinton, 2012, lecture 6e).

.. math::  h \\leftarrow \\rho h + (1 - \\rho) g^2, \\qquad W \\leftarrow W - \\eta\\, g / (\\sqrt{h} + \\epsilon)

``eps_outside``: the book (``decay_rate = 0.99``, eps = 1e-7 hard-coded) and
PyTorch's ``RMSprop`` (``alpha = 0.99``, eps = 1e-8, centered=False,
momentum=0).

``eps_inside``: ``g / sqrt(h + eps)``, as tf.keras 2's ``RMSprop`` (rho = 0.9,
eps = 1e-7).  Epsilon under the root acts like eps**2 outside it.

``tf1``: TensorFlow 1's ``RMSPropOptimizer`` (decay = 0.9, eps = 1e-10) puts
epsilon inside the root too, and starts the average at 1, not 0 (its "rms"
slot is created with a ones initializer), which damps the first steps.
"""

import sympy as sp

from ._fragments import (BOOK, DECAY, EPS, KERAS, LR, PYTORCH, TF1, decay_rate, descend,
                         eps, lr, moving_average, root_denominator, state, with_defaults)
from ._rule import G, W, Family, Rule, Source

_BOOK = Source("book", BOOK + " class RMSprop", {"lr": 0.01, "decay_rate": 0.99, "eps": 1e-7},
               ("eps",))
_TORCH = Source("pytorch", PYTORCH + ".RMSprop (alpha is decay_rate)",
                {"lr": 0.01, "decay_rate": 0.99, "eps": 1e-8})
_PAPER = Source("paper", "Tieleman & Hinton 2012, Coursera Neural Networks lecture 6.5",
                {"lr": 0.001, "decay_rate": 0.9, "eps": 1e-8})
_TF1 = Source("tf1", TF1 + ".RMSPropOptimizer (decay is decay_rate, momentum=0)",
              {"lr": 0.001, "decay_rate": 0.9, "eps": 1e-10})
_KERAS = Source("keras", KERAS + ".RMSprop (rho is decay_rate)",
                {"lr": 0.001, "decay_rate": 0.9, "eps": 1e-7})

_HYPERS = [lr(0.01), decay_rate(0.99), eps(1e-7)]


def _rmsprop(variant: str, eps_inside: bool, sources, summary, difference=None, init=0) -> Rule:
    h_state = state("h", "h", "moving average of squared gradients", init=sp.Integer(init),
                    nonnegative=True)
    h = h_state.symbol
    return Rule(
        family="rmsprop",
        variant=variant,
        title="RMSProp" + (" (epsilon inside the root)" if eps_inside else "")
        + (f", average starting at {init}" if init else ""),
        hypers=with_defaults(_HYPERS, sources[0]),
        states=(h_state,),
        assignments=(
            (h, moving_average(h, G**2, DECAY)),
            (W, descend(W, LR, G / root_denominator(h, EPS, eps_inside))),
        ),
        sources=tuple(sources),
        summary=summary,
        difference=difference,
    )


EPS_OUTSIDE = _rmsprop("eps_outside", False, (_BOOK, _TORCH, _PAPER),
                       "h <- rho h + (1 - rho) g^2;  W <- W - lr g / (sqrt(h) + eps)")
EPS_INSIDE = _rmsprop("eps_inside", True, (_KERAS,),
                      "h <- rho h + (1 - rho) g^2;  W <- W - lr g / sqrt(h + eps)",
                      "epsilon inside the square root, as tf.keras' RMSprop; "
                      "the book and PyTorch put it outside")
TF1_FORM = _rmsprop("tf1", True, (_TF1,),
                    "h starts at 1;  h <- rho h + (1 - rho) g^2;  W <- W - lr g / sqrt(h + eps)",
                    "the average starts at 1 and epsilon is inside the square root, as "
                    "TensorFlow 1's RMSPropOptimizer; the book, PyTorch and Keras start at 0",
                    init=1)

FAMILY = Family("rmsprop", "RMSProp", __doc__, (EPS_OUTSIDE, EPS_INSIDE, TF1_FORM), "RMSprop")
