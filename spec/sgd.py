"""Stochastic gradient descent.

.. math::  W \\leftarrow W - \\eta g

Every framework agrees.  Defaults: the book and CS231n use lr = 0.01;
PyTorch requires lr (1e-3 since 2.0 when omitted).
"""

from ._fragments import BOOK, CS231N, PYTORCH, descend, lr, with_defaults
from ._fragments import LR
from ._rule import G, W, Family, Rule, Source

_BOOK = Source("book", BOOK + " class SGD", {"lr": 0.01})
_CS231N = Source("cs231n", CS231N + " sgd", {"lr": 0.01})
_TORCH = Source("pytorch", PYTORCH + ".SGD (momentum=0)", {"lr": 0.001})

PLAIN = Rule(
    family="sgd",
    variant="plain",
    title="SGD",
    hypers=with_defaults([lr(0.01)], _BOOK),
    states=(),
    assignments=((W, descend(W, LR, G)),),
    sources=(_BOOK, _CS231N, _TORCH),
    summary="W <- W - lr g",
)

FAMILY = Family("sgd", "Stochastic gradient descent", __doc__, (PLAIN,), "SGD")
