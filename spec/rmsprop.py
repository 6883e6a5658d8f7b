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

``torch`` is ``torch.optim.RMSprop`` with every switch (PyTorch 2.13.0,
``torch/optim/rmsprop.py``, ``_single_tensor_rmsprop``); torch's ``alpha`` is
``decay_rate``:

.. math::
   \\tilde g = \\pm g + \\lambda W, \\quad h \\leftarrow \\alpha h + (1-\\alpha)\\tilde g^2,
   \\quad \\bar g \\leftarrow \\alpha \\bar g + (1-\\alpha)\\tilde g \\ (\\text{centered}),
   \\quad a = \\sqrt{h - \\bar g^2} + \\epsilon \\ \\text{or} \\ \\sqrt{h} + \\epsilon

then, with ``momentum > 0``, ``b <- mu b + grad / a; W <- W - lr b`` (the
buffer starts at 0 and is in units of g, lr outside), else
``W <- W - lr grad / a``.  Defaults lr = 1e-2, alpha = 0.99, eps = 1e-8.
optax's ``rmsprop`` puts eps inside the root by default (``eps_in_sqrt``),
centers with ``sqrt(nu - mu^2 + eps)`` and applies momentum after the
learning rate (a trace of ``lr`` times the scaled gradient: lr inside the
buffer); tf.keras puts epsilon inside the root (``eps_inside``).
"""

import sympy as sp

from ._fragments import (BOOK, CENTERED, DECAY, EPS, KERAS, LR, MAXIMIZE, MOMENTUM, PYTORCH,
                         TF1, decay_rate, descend, eps, flag, heavy_ball, l2, lr, maximize_sign,
                         momentum, momentum_buffer, moving_average, root_denominator, state,
                         temporary, torch_source, weight_decay, with_defaults)
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

_TORCH_213 = torch_source("rmsprop.py", "RMSprop", {
    "lr": 1e-2, "decay_rate": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
    "centered": 0.0, "maximize": 0.0}, "alpha is decay_rate")
_H = state("h", "h", "moving average of squared gradients (square_avg)", nonnegative=True)
_GA = state("g_avg", r"\bar{g}", "moving average of gradients (grad_avg, centered only)")
_B = momentum_buffer()
_GRAD = temporary("grad")
_AVG = temporary("avg", nonnegative=True)
_HAS_MOMENTUM = MOMENTUM > 0

TORCH = Rule(
    family="rmsprop",
    variant="torch",
    title="torch.optim.RMSprop (centered, momentum, weight decay, maximize)",
    hypers=with_defaults([lr(1e-2), decay_rate(0.99), eps(1e-8), weight_decay(0.0),
                          momentum(0.0, aliases=("mu",)),
                          flag(CENTERED, "divide by the root of the variance, h - g_avg^2"),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_H, _GA, _B),
    assignments=(
        (_GRAD, l2(maximize_sign(G))),
        (_H.symbol, moving_average(_H.symbol, _GRAD**2, DECAY)),
        (_GA.symbol, sp.Piecewise((moving_average(_GA.symbol, _GRAD, DECAY), CENTERED),
                                  (_GA.symbol, True))),
        (_AVG, root_denominator(sp.Piecewise((_H.symbol - _GA.symbol**2, CENTERED),
                                             (_H.symbol, True)), EPS, eps_inside=False)),
        (_B.symbol, sp.Piecewise((heavy_ball(_B.symbol, MOMENTUM, _GRAD / _AVG), _HAS_MOMENTUM),
                                 (_B.symbol, True))),
        (W, descend(W, LR, sp.Piecewise((_B.symbol, _HAS_MOMENTUM), (_GRAD / _AVG, True)))),
    ),
    sources=(_TORCH_213,),
    summary=("grad = (-g if maximize else g) + weight_decay W;  h <- alpha h + (1 - alpha) grad^2;  "
             "avg = sqrt(h - g_avg^2) + eps (centered) or sqrt(h) + eps;  "
             "momentum > 0: b <- mu b + grad / avg, W <- W - lr b;  else W <- W - lr grad / avg"),
    difference=("torch.optim.RMSprop with its switches: epsilon outside the root, sign flipped "
                "under maximize, L2 weight decay in the gradient, centered by a moving average "
                "of the gradient, momentum buffer b <- mu b + grad / avg with lr outside"),
    temporaries_latex={"grad": r"\tilde{g}", "avg": "a"},
    api="torch",
)

FAMILY = Family("rmsprop", "RMSProp", __doc__, (EPS_OUTSIDE, EPS_INSIDE, TF1_FORM, TORCH),
                "RMSprop")
