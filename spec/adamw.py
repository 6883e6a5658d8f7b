"""AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

``torch`` is ``torch.optim.AdamW`` (PyTorch 2.13.0, ``torch/optim/adamw.py``):
in 2.13 the class is ``Adam`` constructed with ``decoupled_weight_decay=True``,
so the step is ``_single_tensor_adam``'s (``torch/optim/adam.py``) with the
parameter shrunk first and no L2 term in the gradient:

.. math::
   W \\leftarrow W (1 - \\eta\\lambda), \\quad
   W \\leftarrow W - \\eta\\, \\frac{m / (1-\\beta_1^t)}{\\sqrt{v / (1-\\beta_2^t)} + \\epsilon}

with ``grad = -g`` under ``maximize`` (the decay still shrinks W) and, with
``amsgrad``, ``vmax = max(vmax, v)`` of the raw second moment in the
denominator.  Default ``weight_decay = 1e-2``; optax's ``adamw`` defaults to
1e-4 and adds ``weight_decay * W`` to the Adam direction before scaling by
``-lr`` (``W - lr (adam + wd W)``: the same number in exact arithmetic).
The paper's Algorithm 2 multiplies the decay by a schedule multiplier
``eta_t`` and not by the learning rate; torch and optax tie it to lr.

``optax`` is ``optax.adamw`` (optax 0.2.8, ``optax/_src/alias.py``, ``adamw``: the chain
``scale_by_adam``, ``add_decayed_weights`` (``optax/transforms/_adding.py``),
``scale_by_learning_rate``): ``W <- W - lr (adam + weight_decay W)`` with optax's
``eps_root`` and ``nesterov`` (``optax.nadamw``); defaults weight_decay = 1e-4, eps = 1e-8.
Proven: with eps_root = 0 and no nesterov it is ``torch`` without amsgrad or maximize
(the decay distributes over the same lr).

``keras`` is ``keras.optimizers.AdamW`` (Keras 3.15.1, ``keras/src/optimizers/adamw.py``):
a subclass of Keras' ``Adam`` whose only change is a required ``weight_decay``
(default 0.004), applied decoupled before the step (``W - W wd lr``, base_optimizer.py
``_apply_weight_decay``): the epsilon-hat form with epsilon = 1e-7, so it differs from
torch's and optax's AdamW wherever ``v`` is comparable to ``eps**2``.
"""

import sympy as sp

from ._fragments import NESTEROV, keras_source, optax_source, torch_source
from ._rule import Family
from .adam import keras_adam, optax_adam, torch_adam

_TORCH_213 = torch_source("adamw.py", "AdamW", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2,
    "amsgrad": 0.0, "maximize": 0.0},
    "AdamW is Adam(decoupled_weight_decay=True); the step is adam.py's _single_tensor_adam")

TORCH = torch_adam(
    "adamw", sp.true, _TORCH_213,
    "torch.optim.AdamW (decoupled weight decay, AMSGrad, maximize)",
    "W <- W (1 - lr weight_decay);  grad = -g if maximize else g;  m, v moving averages;  "
    "amsgrad: vmax <- max(vmax, v);  W <- W - lr m_hat / (sqrt(v_hat or vmax_hat) + eps)",
    None)

_OPTAX = optax_source("adamw", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_root": 0.0,
                               "weight_decay": 1e-4, "nesterov": 0.0},
                      "scale_by_adam, add_decayed_weights (optax/transforms/_adding.py), "
                      "scale_by_learning_rate", "learning_rate required")

OPTAX = optax_adam(
    "adamw", "optax", NESTEROV, True, _OPTAX, "optax.adamw (eps_root, nesterov)",
    "m, v moving averages;  W <- W - lr (m_hat / (sqrt(v_hat + eps_root) + eps) "
    "+ weight_decay W)",
    "optax.adamw: the decayed weight added to the Adam direction before the learning rate, "
    "W - lr (adam + wd W), with eps_root inside the root and optax's nesterov")

_KERAS = keras_source("adamw.py", "AdamW", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "amsgrad": 0.0,
    "weight_decay": 0.004}, "Adam's update_step")

KERAS = keras_adam(
    "adamw", _KERAS, "keras.optimizers.AdamW (epsilon-hat, amsgrad, decoupled weight decay)",
    "W <- W - lr wd W;  m, v moving averages;  amsgrad: vmax <- max(vmax, v);  "
    "lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t);  W <- W - lr_t m / (sqrt(v or vmax) + eps)",
    "keras.optimizers.AdamW: Keras' Adam (the epsilon-hat form) with weight_decay = 0.004 "
    "applied first, W - W wd lr")

FAMILY = Family("adamw", "AdamW", __doc__, (TORCH, OPTAX, KERAS), "AdamW")
