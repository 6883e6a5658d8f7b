"""Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms", Algorithm 2):
the sign of an interpolation of momentum and gradient.

.. math::
   c = \\beta_1 m + (1-\\beta_1) g, \\quad
   W \\leftarrow W - \\eta\\,(\\operatorname{sign}(c) + \\lambda W), \\quad
   m \\leftarrow \\beta_2 m + (1-\\beta_2) g

Every element moves by exactly the learning rate (or not at all where ``c`` is 0), so the
update is a multiple of ``lr`` whatever the gradient's scale.  ``sign`` is written as a
``Piecewise`` on the exact value of ``c`` (1, -1, or 0 where ``c`` is 0); its error bound
is that of the branch the exact values select, so an implementation whose rounding of
``c`` flips its sign would be told apart: that needs ``|c|`` within a few roundings of 0
with a nonzero ``c``, which no sweep here has met.

``optax`` is ``optax.lion`` (optax 0.2.8, ``optax/_src/alias.py``, ``lion``: the chain
``scale_by_lion`` (``optax/_src/transform.py``, ``mode='hard'``: ``jnp.sign``),
``add_decayed_weights``, ``scale_by_learning_rate``): the paper's form,
``W <- W - lr (sign(c) + weight_decay W)``; defaults b1 = 0.9, b2 = 0.99,
weight_decay = 1e-3, learning_rate required.

``keras`` is ``keras.optimizers.Lion`` (Keras 3.15.1, ``keras/src/optimizers/lion.py``,
``Lion.update_step``): ``W <- W - lr sign(m beta_1 + g (1 - beta_1))``, then
``m <- m beta_2 + g (1 - beta_2)``, after the decoupled ``weight_decay`` every Keras
optimizer applies first (``W - W wd lr``, base_optimizer.py ``_apply_weight_decay``);
defaults learning_rate = 0.001, beta_1 = 0.9, beta_2 = 0.99, weight_decay None (0).
Proven: the same update as optax's at the same weight decay (the decay distributes over
the same lr); only the defaults differ (optax decays by 1e-3 unless told otherwise).
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, LR, WEIGHT_DECAY, beta1, beta2, decoupled_decay,
                         descend, keras_source, lr, moving_average, optax_source, state,
                         temporary, weight_decay, with_defaults)
from ._rule import G, W, Family, Rule

_M = state("m", "m", "momentum: moving average of gradients (mu, momentums)")
_C = temporary("c")


def sign(x: sp.Expr) -> sp.Expr:
    """``jnp.sign``: 1, -1, or 0 at 0, chosen on the exact value of ``x``."""
    return sp.Piecewise((1, x > 0), (-1, x < 0), (0, True))


_OPTAX = optax_source("lion", {"beta1": 0.9, "beta2": 0.99, "weight_decay": 1e-3},
                      "scale_by_lion (mode='hard'), add_decayed_weights "
                      "(optax/transforms/_adding.py), scale_by_learning_rate",
                      "learning_rate required")

OPTAX = Rule(
    family="lion",
    variant="optax",
    title="optax.lion (the paper's form: decay added to the sign)",
    hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.99), weight_decay(1e-3)], _OPTAX),
    states=(_M,),
    assignments=(
        (_C, moving_average(_M.symbol, G, BETA1)),
        (W, descend(W, LR, sign(_C) + WEIGHT_DECAY * W)),
        (_M.symbol, moving_average(_M.symbol, G, BETA2)),
    ),
    sources=(_OPTAX,),
    summary=("c = b1 m + (1 - b1) g;  W <- W - lr (sign(c) + weight_decay W);  "
             "m <- b2 m + (1 - b2) g"),
    api="optax",
)

_KERAS = keras_source("lion.py", "Lion", {"lr": 1e-3, "beta1": 0.9, "beta2": 0.99,
                                          "weight_decay": 0.0}, "weight_decay=None is 0")

KERAS = Rule(
    family="lion",
    variant="keras",
    title="keras.optimizers.Lion (decoupled weight decay first)",
    hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.99), weight_decay(0.0)], _KERAS),
    states=(_M,),
    assignments=(
        (_C, moving_average(_M.symbol, G, BETA1)),
        (W, descend(decoupled_decay(W), LR, sign(_C))),
        (_M.symbol, moving_average(_M.symbol, G, BETA2)),
    ),
    sources=(_KERAS,),
    summary=("W <- W - W wd lr;  c = m beta_1 + g (1 - beta_1);  W <- W - lr sign(c);  "
             "m <- m beta_2 + g (1 - beta_2)"),
    difference=("keras.optimizers.Lion: optax's update with the decoupled weight decay "
                "applied to W first (W - W wd lr), weight_decay None (0) by default"),
    api="keras",
)

FAMILY = Family("lion", "Lion", __doc__, (OPTAX, KERAS), "Lion")
