"""RAdam (Liu et al., 2020): Adam with the variance of its adaptive rate rectified.

``torch`` is ``torch.optim.RAdam`` (PyTorch 2.13.0, ``torch/optim/radam.py``,
``_single_tensor_radam``):

.. math::
   \\rho_\\infty = \\frac{2}{1-\\beta_2} - 1, \\quad
   \\rho_t = \\rho_\\infty - \\frac{2 t \\beta_2^t}{1-\\beta_2^t}, \\quad
   \\hat m = m / (1-\\beta_1^t), \\\\
   W \\leftarrow W - \\begin{cases}
     \\eta\\, \\hat m\\, r_t \\sqrt{1-\\beta_2^t} / (\\sqrt{v} + \\epsilon) & \\rho_t > 5 \\\\
     \\eta\\, \\hat m & \\text{otherwise} \\end{cases}, \\quad
   r_t = \\sqrt{\\frac{(\\rho_t-4)(\\rho_t-2)\\rho_\\infty}{(\\rho_\\infty-4)(\\rho_\\infty-2)\\rho_t}}

with m, v Adam's moving averages of ``grad = (-g if maximize else g)`` plus
``weight_decay * W`` (L2) or, with ``decoupled_weight_decay=True``,
``W *= 1 - lr * weight_decay`` first.  Epsilon is added to ``sqrt(v)``, not to
the root of the corrected v (torch multiplies by ``sqrt(1 - beta2^t)`` after).
With the default beta2 = 0.999, rho_t is 1, 1.9995, 2.9987, 3.9975, 4.9960,
5.9942 at t = 1..6: the first five steps are SGD with momentum (lr m_hat) and
the rectified step starts at t = 6 (the rectifier's radicand is negative at
t = 3 and 4, so only the branch taken may be evaluated).  torch decides ``rho_t > 5`` in float64; the
oracle decides it exactly, which differs only within about 1e-13 of 5.
Defaults lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8.  The paper's Algorithm 2
rectifies when rho_t > 4; optax's ``radam`` uses ``rho_t >= threshold`` with
threshold = 5.0 and divides by ``sqrt(v / (1 - beta2^t)) + eps`` (eps outside
the root of the corrected v).
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, DECOUPLED, EPS, LR, MAXIMIZE, beta1, beta2,
                         bias_correction, decoupled_decay, eps, flag, l2, lr, maximize_sign,
                         moving_average, root_denominator, state, temporary, torch_source,
                         weight_decay, with_defaults)
from ._rule import G, T, W, Family, Rule

_TORCH_213 = torch_source("radam.py", "RAdam", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
    "decoupled_weight_decay": 0.0, "maximize": 0.0})
_M = state("m", "m", "moving average of gradients (exp_avg)")
_V = state("v", "v", "moving average of squared gradients (exp_avg_sq)", nonnegative=True)
_GRAD = temporary("grad")
_M_HAT = temporary("m_hat")
_RHO_INF = temporary("rho_inf")
_RHO_T = temporary("rho_t")
_RECT = temporary("rect", nonnegative=True)
_ADAPTIVE = temporary("adaptive", nonnegative=True)

#: torch's threshold: the rectified step is taken while rho_t > 5
THRESHOLD = 5

TORCH = Rule(
    family="radam",
    variant="torch",
    title="torch.optim.RAdam (weight decay, decoupled, maximize)",
    hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(0.0),
                          flag(DECOUPLED, "W *= 1 - lr weight_decay instead of L2"),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_M, _V),
    assignments=(
        (_GRAD, l2(maximize_sign(G), when=sp.Not(DECOUPLED))),
        (_M.symbol, moving_average(_M.symbol, _GRAD, BETA1)),
        (_V.symbol, moving_average(_V.symbol, _GRAD**2, BETA2)),
        (_M_HAT, _M.symbol / bias_correction(BETA1, T)),
        (_RHO_INF, 2 / (1 - BETA2) - 1),
        (_RHO_T, _RHO_INF - 2 * T * BETA2**T / bias_correction(BETA2, T)),
        (_RECT, sp.sqrt((_RHO_T - 4) * (_RHO_T - 2) * _RHO_INF
                        / ((_RHO_INF - 4) * (_RHO_INF - 2) * _RHO_T))),
        (_ADAPTIVE, sp.sqrt(bias_correction(BETA2, T))
         / root_denominator(_V.symbol, EPS, eps_inside=False)),
        (W, decoupled_decay(W, when=DECOUPLED)
         - sp.Piecewise((_M_HAT * LR * _ADAPTIVE * _RECT, _RHO_T > THRESHOLD),
                        (_M_HAT * LR, True))),
    ),
    sources=(_TORCH_213,),
    summary=("m, v moving averages of grad;  rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t);  "
             "rho_t > 5: W <- W - lr m_hat r_t sqrt(1 - beta2^t) / (sqrt(v) + eps);  "
             "else W <- W - lr m_hat"),
    temporaries_latex={"grad": r"\tilde{g}", "m_hat": r"\hat{m}", "rho_inf": r"\rho_\infty",
                       "rho_t": r"\rho_t", "rect": "r_t", "adaptive": "a_t"},
    api="torch",
)

FAMILY = Family("radam", "RAdam", __doc__, (TORCH,), "RAdam")
