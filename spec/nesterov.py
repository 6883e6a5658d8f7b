"""Nesterov's accelerated gradient, in the form that needs only g at W.

Sutskever et al. (2013) write Nesterov momentum with a look-ahead gradient,
``v <- mu v - lr grad(W + mu v); W <- W + v``.  Bengio et al. (2012, "Advances
in optimizing recurrent networks", eq. 7) change variables to the look-ahead
point and obtain a step that uses the gradient at the stored parameters:

.. math::  W \\leftarrow W + \\mu^2 v - (1 + \\mu)\\eta g, \\qquad v \\leftarrow \\mu v - \\eta g

with the *old* velocity in the first assignment.  ``bengio`` is the book's
current ``Nesterov`` and CS231n's ``nesterov_momentum``.  An early printing of
the book updated v first and then moved with the new velocity; that is a
mistake, not a variant.

``pytorch`` is ``torch.optim.SGD(momentum=mu, nesterov=True)``: the buffer form
``b <- mu b + g; W <- W - lr (g + mu b)``.  It equals ``bengio`` under constant
lr via ``v = -lr b`` (proven in `spec.relations`), and differs after lr changes.
"""

from ._fragments import (BOOK, CS231N, LR, MOMENTUM, PYTORCH, descend, heavy_ball, lr,
                         momentum, momentum_buffer, velocity, with_defaults)
from ._rule import G, W, Family, Rule, Source

_BOOK = Source("book", BOOK + " class Nesterov", {"lr": 0.01, "momentum": 0.9})
_CS231N = Source("cs231n", CS231N + " nesterov_momentum", {"lr": 0.01, "momentum": 0.9})
_PAPER = Source("paper", "Bengio, Boulanger-Lewandowski & Pascanu 2012 (arXiv:1212.0901), eq. 7",
                {"lr": 0.01, "momentum": 0.9})
_TORCH = Source("pytorch", PYTORCH + ".SGD(momentum=0.9, nesterov=True)",
                {"lr": 0.001, "momentum": 0.9})

_V = velocity()
_B = momentum_buffer()
_HYPERS = [lr(0.01), momentum(0.9)]

BENGIO = Rule(
    family="nesterov",
    variant="bengio",
    title="Nesterov momentum (Bengio et al. 2012, eq. 7)",
    hypers=with_defaults(_HYPERS, _BOOK),
    states=(_V,),
    assignments=(
        (W, W + MOMENTUM**2 * _V.symbol - (1 + MOMENTUM) * LR * G),
        (_V.symbol, heavy_ball(_V.symbol, MOMENTUM, -LR * G)),
    ),
    sources=(_BOOK, _CS231N, _PAPER),
    summary="W <- W + mu^2 v - (1 + mu) lr g;  v <- mu v - lr g  (old v in the first)",
)

PYTORCH_FORM = Rule(
    family="nesterov",
    variant="pytorch",
    title="Nesterov momentum (PyTorch buffer form)",
    hypers=with_defaults(_HYPERS, _TORCH),
    states=(_B,),
    assignments=(
        (_B.symbol, heavy_ball(_B.symbol, MOMENTUM, G)),
        (W, descend(W, LR, G + MOMENTUM * _B.symbol)),
    ),
    sources=(_TORCH,),
    summary="b <- mu b + g;  W <- W - lr (g + mu b)",
    difference=("learning rate applied outside the momentum buffer, as PyTorch's "
                "SGD(nesterov=True); equal to Bengio's form only while lr is constant"),
)

FAMILY = Family("nesterov", "Nesterov momentum", __doc__, (BENGIO, PYTORCH_FORM), "Nesterov")
