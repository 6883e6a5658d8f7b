"""Adadelta (Zeiler, 2012).

``torch`` is ``torch.optim.Adadelta`` (PyTorch 2.13.0, ``torch/optim/adadelta.py``,
``_single_tensor_adadelta``); torch's ``rho`` is ``decay_rate``:

.. math::
   \\tilde g = \\pm g + \\lambda W, \\quad
   v \\leftarrow \\rho v + (1-\\rho)\\tilde g^2, \\quad
   \\delta = \\frac{\\sqrt{u + \\epsilon}}{\\sqrt{v + \\epsilon}}\\, \\tilde g, \\quad
   u \\leftarrow \\rho u + (1-\\rho)\\delta^2, \\quad
   W \\leftarrow W - \\eta\\, \\delta

Epsilon is inside both roots; ``u`` (``acc_delta``) is updated with the step
before the learning rate, from its old value.  Defaults lr = 1.0 (the paper
has no learning rate, which is lr = 1), rho = 0.9, eps = 1e-6; rho = 1 is
accepted.  The paper (Algorithm 1) uses rho = 0.95, eps = 1e-6; optax's
``scale_by_adadelta`` computes the same step (rho = 0.9, eps = 1e-6);
tf.keras' ``Adadelta`` defaults to learning_rate = 0.001, rho = 0.95,
epsilon = 1e-7 per its documentation, so its steps are a thousandth of the
paper's unless lr = 1.0 is passed.

``optax`` is ``optax.adadelta`` (optax 0.2.8, ``optax/_src/alias.py``, ``adadelta``: the
chain ``add_decayed_weights``, ``scale_by_adadelta``, ``scale_by_learning_rate``): torch's
step without maximize, weight decay added to the gradient as torch does (proven equal).
Warning: its default ``learning_rate=None`` drops ``scale_by_learning_rate``, and with it
the sign flip, so ``optax.apply_updates`` *ascends* by delta; no learning rate in the
rule's domain reproduces that (lr = -1 would), and the rule's default is the paper's 1.

``keras`` is ``keras.optimizers.Adadelta`` (Keras 3.15.1,
``keras/src/optimizers/adadelta.py``, ``Adadelta.update_step``): the same step with
Keras' defaults (learning_rate = 0.001, rho = 0.95, epsilon = 1e-7) and the decoupled
``weight_decay`` of every Keras optimizer applied first (``W - W wd lr``).
"""

import sympy as sp

from ._fragments import (DECAY, EPS, LR, MAXIMIZE, decay_rate, decoupled_decay, descend, eps,
                         flag, keras_source, l2, lr, maximize_sign, moving_average,
                         optax_source, root_denominator, state, temporary, torch_source,
                         weight_decay, with_defaults)
from ._rule import CLOSED_UNIT, G, W, Family, Rule

_TORCH_213 = torch_source("adadelta.py", "Adadelta", {
    "lr": 1.0, "decay_rate": 0.9, "eps": 1e-6, "weight_decay": 0.0, "maximize": 0.0},
    "rho is decay_rate")
_V = state("v", "v", "moving average of squared gradients (square_avg)", nonnegative=True)
_U = state("u", "u", "moving average of squared steps (acc_delta)", nonnegative=True)
_GRAD = temporary("grad")
_DELTA = temporary("delta")

def _adadelta(variant: str, title: str, hypers, source, grad: sp.Expr, start: sp.Expr,
              api: str, summary: str, difference: str | None) -> Rule:
    """Zeiler's step on ``grad`` from ``start`` (W, or W after a decoupled decay)."""
    return Rule(
        family="adadelta",
        variant=variant,
        title=title,
        hypers=with_defaults(hypers, source),
        states=(_V, _U),
        assignments=(
            (_GRAD, grad),
            (_V.symbol, moving_average(_V.symbol, _GRAD**2, DECAY)),
            (_DELTA, root_denominator(_U.symbol, EPS, eps_inside=True)
             / root_denominator(_V.symbol, EPS, eps_inside=True) * _GRAD),
            (_U.symbol, moving_average(_U.symbol, _DELTA**2, DECAY)),
            (W, descend(start, LR, _DELTA)),
        ),
        sources=(source,),
        summary=summary,
        difference=difference,
        temporaries_latex={"grad": r"\tilde{g}", "delta": r"\delta"},
        api=api,
    )


TORCH = _adadelta(
    "torch", "torch.optim.Adadelta (weight decay, maximize)",
    [lr(1.0), decay_rate(0.9, CLOSED_UNIT), eps(1e-6), weight_decay(0.0),
     flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
    _TORCH_213, l2(maximize_sign(G)), W, "torch",
    "grad = (-g if maximize else g) + weight_decay W;  v <- rho v + (1 - rho) grad^2;  "
    "delta = sqrt(u + eps) / sqrt(v + eps) grad;  u <- rho u + (1 - rho) delta^2;  "
    "W <- W - lr delta", None)

_OPTAX = optax_source("adadelta", {"decay_rate": 0.9, "eps": 1e-6, "weight_decay": 0.0},
                      "add_decayed_weights (optax/transforms/_adding.py), scale_by_adadelta, "
                      "scale_by_learning_rate",
                      "learning_rate=None by default, which drops scale_by_learning_rate "
                      "and so ascends; rho is decay_rate")

OPTAX = _adadelta(
    "optax", "optax.adadelta (L2 weight decay)",
    [lr(1.0), decay_rate(0.9, CLOSED_UNIT), eps(1e-6), weight_decay(0.0)], _OPTAX, l2(G), W,
    "optax",
    "grad = g + weight_decay W;  v <- rho v + (1 - rho) grad^2;  "
    "delta = sqrt(u + eps) / sqrt(v + eps) grad;  u <- rho u + (1 - rho) delta^2;  "
    "W <- W - lr delta",
    "optax.adadelta: torch's Adadelta without maximize (weight decay added to the "
    "gradient first); its default learning_rate=None ascends")

_KERAS = keras_source("adadelta.py", "Adadelta", {
    "lr": 1e-3, "decay_rate": 0.95, "eps": 1e-7, "weight_decay": 0.0},
    "rho is decay_rate; weight_decay=None is 0")

KERAS = _adadelta(
    "keras", "keras.optimizers.Adadelta (decoupled weight decay)",
    [lr(1e-3), decay_rate(0.95, CLOSED_UNIT), eps(1e-7), weight_decay(0.0)], _KERAS, G,
    decoupled_decay(W), "keras",
    "W <- W - lr wd W;  v <- rho v + (1 - rho) g^2;  delta = sqrt(u + eps) / sqrt(v + eps) g;  "
    "u <- rho u + (1 - rho) delta^2;  W <- W - lr delta",
    "keras.optimizers.Adadelta: Zeiler's step with learning_rate = 0.001, rho = 0.95, "
    "epsilon = 1e-7, and decoupled weight decay W - W wd lr applied first")

FAMILY = Family("adadelta", "Adadelta", __doc__, (TORCH, OPTAX, KERAS), "Adadelta")
