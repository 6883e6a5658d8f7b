"""Stochastic gradient descent.

.. math::  W \\leftarrow W - \\eta g

``plain``: every framework agrees.  Defaults: the book and CS231n use
lr = 0.01; PyTorch requires lr (1e-3 since 2.0 when omitted).

``torch`` is ``torch.optim.SGD`` with all its switches (PyTorch 2.13.0,
``torch/optim/sgd.py``, ``_single_tensor_sgd``), one rule:

.. math::
   \\tilde g = \\pm g + \\lambda W \\ (\\lambda \\ne 0), \\quad
   b \\leftarrow \\begin{cases} \\tilde g & t = 1 \\\\ \\mu b + (1-\\tau)\\tilde g & t > 1
   \\end{cases}, \\quad
   W \\leftarrow W - \\eta \\begin{cases} \\tilde g & \\mu = 0 \\\\ \\tilde g + \\mu b &
   \\text{nesterov} \\\\ b & \\text{otherwise} \\end{cases}

The sign is ``-g`` with ``maximize=True``, applied before the L2 term; the
buffer is a clone of the gradient on its first step (not ``(1 - dampening) g``)
and does not exist at all when ``momentum == 0`` (then dampening and nesterov
do nothing; torch rejects ``nesterov=True`` unless ``momentum > 0`` and
``dampening == 0``).  With ``momentum > 0``, dampening 0 and constant lr it is
``momentum/pytorch`` (or ``nesterov/pytorch``) from the second step on.
optax's ``sgd(momentum=...)`` trace starts its buffer at 0 (``mu * 0 + g``:
the same first step) and has no dampening; Keras' ``SGD(momentum=...)`` keeps
the book's velocity (lr inside), per its documentation.
"""

import sympy as sp

from ._fragments import (BOOK, CS231N, DAMPENING, LR, MAXIMIZE, MOMENTUM, NESTEROV, PYTORCH,
                         dampening, descend, first_step, flag, heavy_ball, l2, lr,
                         maximize_sign, momentum, momentum_buffer, temporary, torch_source,
                         weight_decay, with_defaults)
from ._rule import G, W, Constraint, Family, Rule, Source

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

_TORCH_213 = torch_source("sgd.py", "SGD", {
    "lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": 0.0,
    "maximize": 0.0})
_GRAD = temporary("grad")
_DIR = temporary("d")
_B = momentum_buffer()
_NO_MOMENTUM = sp.Eq(MOMENTUM, 0)

TORCH = Rule(
    family="sgd",
    variant="torch",
    title="torch.optim.SGD (momentum, dampening, nesterov, weight decay, maximize)",
    hypers=with_defaults([lr(1e-3), momentum(0.0), dampening(0.0), weight_decay(0.0),
                          flag(NESTEROV, "Nesterov momentum, W moves by g + mu b"),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_B,),
    assignments=(
        (_GRAD, l2(maximize_sign(G))),
        (_B.symbol, sp.Piecewise(
            (_B.symbol, _NO_MOMENTUM),
            (first_step(_GRAD, heavy_ball(_B.symbol, MOMENTUM, (1 - DAMPENING) * _GRAD)), True))),
        (_DIR, sp.Piecewise((_GRAD, _NO_MOMENTUM), (_GRAD + MOMENTUM * _B.symbol, NESTEROV),
                            (_B.symbol, True))),
        (W, descend(W, LR, _DIR)),
    ),
    sources=(_TORCH_213,),
    summary=("grad = (-g if maximize else g) + weight_decay W;  momentum = 0: W <- W - lr grad;  "
             "else b <- grad at t = 1, mu b + (1 - dampening) grad after, "
             "W <- W - lr (grad + mu b if nesterov else b)"),
    difference=("torch.optim.SGD with its switches: sign flipped first under maximize, L2 "
                "weight decay added to the gradient, a momentum buffer cloned from the gradient "
                "at t = 1 then mu b + (1 - dampening) g, no buffer when momentum = 0"),
    temporaries_latex={"grad": r"\tilde{g}", "d": "d"},
    api="torch",
    constraints=(Constraint(
        sp.Implies(NESTEROV, sp.And(MOMENTUM > 0, sp.Eq(DAMPENING, 0))),
        "nesterov=True requires momentum > 0 and dampening = 0 (torch.optim.SGD raises "
        "ValueError: Nesterov momentum requires a momentum and zero dampening)"),),
)

FAMILY = Family("sgd", "Stochastic gradient descent", __doc__, (PLAIN, TORCH), "SGD")
