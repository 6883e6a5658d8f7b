"""Gradient descent with (heavy-ball) momentum, in two conventions.

``book`` (Deep Learning from Scratch, CS231n ``sgd_momentum``; Sutskever et al.
2013 eq. 1 with the learning rate inside the velocity):

.. math::  v \\leftarrow \\mu v - \\eta g, \\qquad W \\leftarrow W + v

``pytorch`` (``torch.optim.SGD(momentum=mu, dampening=0)``, and optax's
``sgd(momentum=...)`` trace): the buffer accumulates raw gradients and the
learning rate is applied outside it:

.. math::  b \\leftarrow \\mu b + g, \\qquad W \\leftarrow W - \\eta b

PyTorch's first step sets ``b = g``, which is ``mu * 0 + g``.  The two agree
exactly while lr is constant (``v = -lr b``, proven in `spec.relations`);
after a change of lr they differ, because the book's velocity remembers the old
lr and PyTorch's buffer does not.
"""

from ._fragments import (BOOK, CS231N, LR, MOMENTUM, PYTORCH, descend, heavy_ball, lr,
                         momentum, momentum_buffer, velocity, with_defaults)
from ._rule import G, W, Family, Rule, Source

_BOOK = Source("book", BOOK + " class Momentum", {"lr": 0.01, "momentum": 0.9})
_CS231N = Source("cs231n", CS231N + " sgd_momentum", {"lr": 0.01, "momentum": 0.9})
_PAPER = Source("paper", "Polyak 1964; Sutskever, Martens, Dahl & Hinton 2013 (ICML), eq. 1-2",
                {"lr": 0.01, "momentum": 0.9})
_TORCH = Source("pytorch", PYTORCH + ".SGD(momentum=0.9), dampening=0",
                {"lr": 0.001, "momentum": 0.9})

_V = velocity()
_B = momentum_buffer()
_HYPERS = [lr(0.01), momentum(0.9)]

BOOK_FORM = Rule(
    family="momentum",
    variant="book",
    title="Momentum (lr inside the velocity)",
    hypers=with_defaults(_HYPERS, _BOOK),
    states=(_V,),
    assignments=(
        (_V.symbol, heavy_ball(_V.symbol, MOMENTUM, -LR * G)),
        (W, W + _V.symbol),
    ),
    sources=(_BOOK, _CS231N, _PAPER),
    summary="v <- mu v - lr g;  W <- W + v",
)

PYTORCH_FORM = Rule(
    family="momentum",
    variant="pytorch",
    title="Momentum (lr outside the buffer)",
    hypers=with_defaults(_HYPERS, _TORCH),
    states=(_B,),
    assignments=(
        (_B.symbol, heavy_ball(_B.symbol, MOMENTUM, G)),
        (W, descend(W, LR, _B.symbol)),
    ),
    sources=(_TORCH,),
    summary="b <- mu b + g;  W <- W - lr b",
    difference=("learning rate applied outside the momentum buffer, as PyTorch's SGD; "
                "the book's velocity includes it, so the two differ after lr changes"),
)

FAMILY = Family("momentum", "Momentum", __doc__, (BOOK_FORM, PYTORCH_FORM), "Momentum")
