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

``optax`` is ``optax.radam`` (optax 0.2.8, ``optax/_src/alias.py``, ``radam``:
``scale_by_radam`` then ``scale_by_learning_rate``): the same rho_t and r_t, the step
``lr r_t m_hat / (sqrt(v_hat + eps_root) + eps)`` while ``rho_t >= threshold``
(default 5.0) and ``lr m_hat`` otherwise, with optax's Nesterov ``m_hat`` under
``nesterov=True``; ``learning_rate`` is required.  It differs from torch's for every
eps > 0 (eps meets the corrected v, torch's the raw one) and agrees with it at
eps = eps_root = 0 wherever rho_t is not exactly 5 (proven in `spec.relations`).
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, DECOUPLED, EPS, EPS_ROOT, LR, MAXIMIZE, NESTEROV,
                         beta1, beta2, bias_correction, decoupled_decay, descend, eps,
                         eps_root, flag, l2, lr, maximize_sign, moving_average, optax_source,
                         root_denominator, state, temporary, threshold, torch_source,
                         weight_decay, with_defaults)
from ._fragments import THRESHOLD as THRESHOLD_SYMBOL
from .adam import OPTAX_NESTEROV_DOC, optax_m_hat
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

#: the length of the approximated SMA, rho_t, and the rectifier r_t (the paper's eq. 6
#: and Algorithm 2), as torch and optax both compute them
_RECTIFIER = (
    (_RHO_INF, 2 / (1 - BETA2) - 1),
    (_RHO_T, _RHO_INF - 2 * T * BETA2**T / bias_correction(BETA2, T)),
    (_RECT, sp.sqrt((_RHO_T - 4) * (_RHO_T - 2) * _RHO_INF
                    / ((_RHO_INF - 4) * (_RHO_INF - 2) * _RHO_T))),
)

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
        *_RECTIFIER,
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

_OPTAX = optax_source("radam", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_root": 0.0,
                               "threshold": 5.0, "nesterov": 0.0},
                      "scale_by_radam, scale_by_learning_rate", "learning_rate required")
_V_HAT = temporary("v_hat", nonnegative=True)

OPTAX = Rule(
    family="radam",
    variant="optax",
    title="optax.radam (threshold, eps_root, nesterov)",
    hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), eps_root(0.0),
                          threshold(5.0), flag(NESTEROV, OPTAX_NESTEROV_DOC)], _OPTAX),
    states=(_M, _V),
    assignments=(
        (_M.symbol, moving_average(_M.symbol, G, BETA1)),
        (_V.symbol, moving_average(_V.symbol, G**2, BETA2)),
        *_RECTIFIER,
        (_M_HAT, optax_m_hat(_M.symbol, NESTEROV)),
        (_V_HAT, _V.symbol / bias_correction(BETA2, T)),
        (W, descend(W, LR, sp.Piecewise(
            (_RECT * _M_HAT / root_denominator(_V_HAT + EPS_ROOT, EPS, eps_inside=False),
             _RHO_T >= THRESHOLD_SYMBOL), (_M_HAT, True)))),
    ),
    sources=(_OPTAX,),
    summary=("m, v moving averages;  rho_t >= threshold: W <- W - lr r_t m_hat / "
             "(sqrt(v_hat + eps_root) + eps);  else W <- W - lr m_hat"),
    difference=("optax.radam: rectifies while rho_t >= threshold (torch: > 5), with eps "
                "added to the root of the corrected v (torch: to sqrt(v), then times "
                "sqrt(1 - beta2^t)), eps_root inside the root, optax's nesterov m_hat"),
    temporaries_latex={"m_hat": r"\hat{m}", "v_hat": r"\hat{v}", "rho_inf": r"\rho_\infty",
                       "rho_t": r"\rho_t", "rect": "r_t"},
    api="optax",
)

FAMILY = Family("radam", "RAdam", __doc__, (TORCH, OPTAX), "RAdam")
