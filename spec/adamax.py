"""Adamax (Kingma and Ba, 2015, Algorithm 2): Adam with the infinity norm.

``torch`` is ``torch.optim.Adamax`` (PyTorch 2.13.0, ``torch/optim/adamax.py``,
``_single_tensor_adamax``):

.. math::
   \\tilde g = \\pm g + \\lambda W, \\quad
   m \\leftarrow \\beta_1 m + (1-\\beta_1)\\tilde g, \\quad
   u \\leftarrow \\max(\\beta_2 u, |\\tilde g| + \\epsilon), \\quad
   W \\leftarrow W - \\frac{\\eta}{1-\\beta_1^t}\\, m / u

Epsilon is added to ``|g|`` inside the maximum (so ``u >= eps`` and a zero
gradient gives a zero step), as optax's ``scale_by_adamax`` does; the paper
has no epsilon (``u = max(beta2 u, |g|)``), and tf.keras' ``Adamax`` keeps
the paper's maximum and divides by ``u + epsilon`` (epsilon = 1e-7,
learning_rate = 0.001) per its documentation.  torch's defaults: lr = 2e-3,
betas = (0.9, 0.999), eps = 1e-8 (the paper's lr is 0.002 too).

``optax`` is ``optax.adamax`` (optax 0.2.8, ``optax/_src/alias.py``, ``adamax``:
``scale_by_adamax`` then ``scale_by_learning_rate``): torch's update without weight
decay or maximize (proven equal); ``learning_rate`` is required, eps = 1e-8.

``keras`` is ``keras.optimizers.Adamax`` (Keras 3.15.1, ``keras/src/optimizers/adamax.py``,
``Adamax.update_step``): ``u <- max(beta2 u, |g|)`` and
``W <- W - lr m / ((1 - beta1^t)(u + epsilon))``, epsilon = 1e-7, with the decoupled
``weight_decay`` of every Keras optimizer first; it differs from torch's and optax's
where ``|g|`` is comparable to eps (proven).
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, EPS, LR, MAXIMIZE, beta1, beta2, bias_correction,
                         decoupled_decay, descend, eps, flag, keras_source, l2, lr,
                         maximize_sign, moving_average, optax_source, state, temporary,
                         torch_source, weight_decay, with_defaults)
from ._rule import G, T, W, Family, Rule

_TORCH_213 = torch_source("adamax.py", "Adamax", {
    "lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
    "maximize": 0.0})
_M = state("m", "m", "moving average of gradients (exp_avg)")
_U = state("u", "u", "exponentially weighted infinity norm (exp_inf)", nonnegative=True)
_GRAD = temporary("grad")

TORCH = Rule(
    family="adamax",
    variant="torch",
    title="torch.optim.Adamax (weight decay, maximize)",
    hypers=with_defaults([lr(2e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(0.0),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_M, _U),
    assignments=(
        (_GRAD, l2(maximize_sign(G))),
        (_M.symbol, moving_average(_M.symbol, _GRAD, BETA1)),
        (_U.symbol, sp.Max(BETA2 * _U.symbol, sp.Abs(_GRAD) + EPS)),
        (W, descend(W, LR / bias_correction(BETA1, T), _M.symbol / _U.symbol)),
    ),
    sources=(_TORCH_213,),
    summary=("grad = (-g if maximize else g) + weight_decay W;  m <- beta1 m + (1 - beta1) grad;  "
             "u <- max(beta2 u, |grad| + eps);  W <- W - lr / (1 - beta1^t) m / u"),
    temporaries_latex={"grad": r"\tilde{g}"},
    api="torch",
)

_OPTAX = optax_source("adamax", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                      "scale_by_adamax (optax/tree_utils/_tree_math.py "
                      "tree_update_infinity_moment), scale_by_learning_rate",
                      "learning_rate required")

OPTAX = Rule(
    family="adamax",
    variant="optax",
    title="optax.adamax (epsilon inside the maximum)",
    hypers=with_defaults([lr(2e-3), beta1(0.9), beta2(0.999), eps(1e-8)], _OPTAX),
    states=(_M, _U),
    assignments=(
        (_M.symbol, moving_average(_M.symbol, G, BETA1)),
        (_U.symbol, sp.Max(BETA2 * _U.symbol, sp.Abs(G) + EPS)),
        (W, descend(W, LR, _M.symbol / bias_correction(BETA1, T) / _U.symbol)),
    ),
    sources=(_OPTAX,),
    summary=("m <- beta1 m + (1 - beta1) g;  u <- max(beta2 u, |g| + eps);  "
             "W <- W - lr (m / (1 - beta1^t)) / u"),
    difference=("optax.adamax: torch's Adamax (epsilon inside the maximum) without weight "
                "decay or maximize; the correction divides m, not lr"),
    api="optax",
)

_KERAS = keras_source("adamax.py", "Adamax", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "weight_decay": 0.0},
    "weight_decay=None is 0")

KERAS = Rule(
    family="adamax",
    variant="keras",
    title="keras.optimizers.Adamax (epsilon added to u, decoupled weight decay)",
    hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-7), weight_decay(0.0)],
                         _KERAS),
    states=(_M, _U),
    assignments=(
        (_M.symbol, moving_average(_M.symbol, G, BETA1)),
        (_U.symbol, sp.Max(BETA2 * _U.symbol, sp.Abs(G))),
        (W, descend(decoupled_decay(W), LR,
                    _M.symbol / (bias_correction(BETA1, T) * (_U.symbol + EPS)))),
    ),
    sources=(_KERAS,),
    summary=("W <- W - lr wd W;  m <- beta1 m + (1 - beta1) g;  u <- max(beta2 u, |g|);  "
             "W <- W - lr m / ((1 - beta1^t) (u + eps))"),
    difference=("keras.optimizers.Adamax: the paper's maximum without epsilon, epsilon added "
                "to u in the denominator (torch and optax add it to |g| inside the maximum), "
                "decoupled weight decay applied first"),
    api="keras",
)

FAMILY = Family("adamax", "Adamax", __doc__, (TORCH, OPTAX, KERAS), "Adamax")
