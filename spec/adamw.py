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
"""

import sympy as sp

from ._fragments import torch_source
from ._rule import Family
from .adam import torch_adam

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

FAMILY = Family("adamw", "AdamW", __doc__, (TORCH,), "AdamW")
