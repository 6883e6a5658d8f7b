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
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, EPS, LR, MAXIMIZE, beta1, beta2, bias_correction,
                         descend, eps, flag, l2, lr, maximize_sign, moving_average, state,
                         temporary, torch_source, weight_decay, with_defaults)
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

FAMILY = Family("adamax", "Adamax", __doc__, (TORCH,), "Adamax")
