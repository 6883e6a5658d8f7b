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

``optax`` is ``optax.sgd`` (optax 0.2.8, ``optax/_src/alias.py``, ``sgd``: the chain
``trace(decay=momentum, nesterov)`` of ``optax/transforms/_accumulation.py``, then
``scale_by_learning_rate``): the buffer ``b <- g + mu b`` starts at 0, so its first step
``mu * 0 + g`` is torch's clone of g, and with ``nesterov=True`` the direction is
``g + mu b``, exactly torch's; it has no dampening, weight decay or maximize.
``learning_rate`` is required; ``momentum=None`` (the default) skips the trace,
which is the same number as ``momentum = 0`` (``g + 0 b``), so the rule models it as
0.  Proven: it is ``momentum/pytorch`` and ``nesterov/pytorch`` at every step, and
``sgd/torch`` with dampening 0 (`spec.relations`).

``keras`` is ``keras.optimizers.SGD`` (Keras 3.15.1, ``keras/src/optimizers/sgd.py``,
``SGD.update_step``): the book's velocity with lr inside, ``v <- mu v - lr g``,
``W <- W + v``, or with ``nesterov=True`` ``W <- W + mu v - lr g`` (the new v), which is
Bengio's eq. 7; ``momentum = 0`` keeps no velocity.  Like every Keras optimizer it
first applies its decoupled ``weight_decay`` (default None, no decay):
``W <- W - W wd lr``.  Defaults learning_rate = 0.01, momentum = 0.  Keras accepts
``nesterov=True`` with ``momentum = 0`` (plain SGD) where torch refuses it.
"""

import sympy as sp

from ._fragments import (BOOK, CS231N, DAMPENING, LR, MAXIMIZE, MOMENTUM, NESTEROV, PYTORCH,
                         dampening, decoupled_decay, descend, first_step, flag, heavy_ball,
                         keras_source, l2, lr, maximize_sign, momentum, momentum_buffer,
                         optax_source, temporary, torch_source, velocity, weight_decay,
                         with_defaults)
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

_OPTAX = optax_source("sgd", {"momentum": 0.0, "nesterov": 0.0},
                      "trace(decay=momentum, nesterov) (optax/transforms/_accumulation.py), "
                      "scale_by_learning_rate", "learning_rate required; momentum=None is 0")
_NESTEROV_DOC = "Nesterov momentum, W moves by g + mu b"

OPTAX = Rule(
    family="sgd",
    variant="optax",
    title="optax.sgd (momentum trace, nesterov)",
    hypers=with_defaults([lr(0.01), momentum(0.0), flag(NESTEROV, _NESTEROV_DOC)], _OPTAX),
    states=(_B,),
    assignments=(
        (_B.symbol, heavy_ball(_B.symbol, MOMENTUM, G)),
        (_DIR, sp.Piecewise((heavy_ball(_B.symbol, MOMENTUM, G), NESTEROV), (_B.symbol, True))),
        (W, descend(W, LR, _DIR)),
    ),
    sources=(_OPTAX,),
    summary="b <- g + mu b (from 0);  W <- W - lr (g + mu b if nesterov else b)",
    difference=("optax.sgd: a trace b <- g + mu b from 0, lr outside it, nesterov moving by "
                "g + mu b; no dampening, weight decay or maximize"),
    temporaries_latex={"d": "d"},
    api="optax",
)

_KERAS = keras_source("sgd.py", "SGD", {"lr": 0.01, "momentum": 0.0, "nesterov": 0.0,
                                        "weight_decay": 0.0}, "weight_decay=None is 0")
_V = velocity()

KERAS = Rule(
    family="sgd",
    variant="keras",
    title="keras.optimizers.SGD (momentum, nesterov, decoupled weight decay)",
    hypers=with_defaults([lr(0.01), momentum(0.0), flag(NESTEROV, "W moves by mu v - lr g "
                                                              "with the new v (Bengio's eq. 7)"),
                          weight_decay(0.0)], _KERAS),
    states=(_V,),
    assignments=(
        (_V.symbol, sp.Piecewise((_V.symbol, _NO_MOMENTUM),
                                 (heavy_ball(_V.symbol, MOMENTUM, -LR * G), True))),
        (W, decoupled_decay(W) + sp.Piecewise(
            (-LR * G, _NO_MOMENTUM), (heavy_ball(_V.symbol, MOMENTUM, -LR * G), NESTEROV),
            (_V.symbol, True))),
    ),
    sources=(_KERAS,),
    summary=("W <- W - lr wd W;  momentum = 0: W <- W - lr g;  else v <- mu v - lr g, "
             "W <- W + (mu v - lr g if nesterov else v)"),
    difference=("keras.optimizers.SGD: the book's velocity v <- mu v - lr g (lr inside), "
                "nesterov moving by mu v - lr g with the new v, decoupled weight decay "
                "W - W wd lr applied first"),
    api="keras",
)

FAMILY = Family("sgd", "Stochastic gradient descent", __doc__, (PLAIN, TORCH, OPTAX, KERAS),
                "SGD")
