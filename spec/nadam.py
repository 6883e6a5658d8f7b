"""NAdam (Dozat, 2016): Adam with Nesterov momentum and a momentum schedule.

``torch`` is ``torch.optim.NAdam`` (PyTorch 2.13.0, ``torch/optim/nadam.py``,
``_single_tensor_nadam``):

.. math::
   \\mu_t = \\beta_1 (1 - \\tfrac12\\, 0.96^{t\\psi}), \\quad
   \\mu_{t+1} = \\beta_1 (1 - \\tfrac12\\, 0.96^{(t+1)\\psi}), \\quad
   P \\leftarrow P \\mu_t \\ (P_0 = 1), \\\\
   m, v \\ \\text{Adam's moving averages of } \\tilde g, \\quad
   d = \\sqrt{v / (1-\\beta_2^t)} + \\epsilon, \\\\
   W \\leftarrow W - \\eta \\frac{1-\\mu_t}{1-P} \\frac{\\tilde g}{d}
              - \\eta \\frac{\\mu_{t+1}}{1 - P\\mu_{t+1}} \\frac{m}{d}

with ``grad = -g`` under ``maximize``, then ``weight_decay * W`` added to it
(L2) or, with ``decoupled_weight_decay=True``, ``W *= 1 - lr * weight_decay``
first.  Defaults lr = 2e-3, betas = (0.9, 0.999), eps = 1e-8,
momentum_decay (psi) = 4e-3.  ``mu_product`` (P) is one number per parameter
that torch keeps as a 0-d tensor in its *default* dtype (float32 unless
``torch.set_default_dtype(torch.float64)``) whatever the parameter's dtype,
so float64 parameters see float32 roundings of P; the state is elementwise
here (all elements equal) and marked ``dtype="float32"`` so the error bound
counts them.  torch's 0.96 is the double nearest 0.96, not 24/25 as written
here; the two differ by 4e-17 of 0.96, which moves 0.96**(t psi) by under
1e-18 of itself for psi <= 1, far below a float64 rounding.

optax's ``nadam`` has no schedule: ``m_hat = beta1 m / (1 - beta1^(t+1)) +
(1 - beta1) g / (1 - beta1^t)`` and ``v_hat = v / (1 - beta2^t)``, with eps
outside the root; Keras 3's ``Nadam`` uses the schedule with ``0.96**t``
(no psi: psi = 1, so mu_t reaches beta1 within a few hundred steps) and
defaults learning_rate = 0.001, epsilon = 1e-7.
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, DECOUPLED, EPS, LR, MAXIMIZE, MOMENTUM_DECAY, beta1,
                         beta2, bias_correction, decoupled_decay, eps, flag, l2, lr,
                         maximize_sign, momentum_decay, moving_average, root_denominator, state,
                         temporary, torch_source, weight_decay, with_defaults)
from ._rule import G, T, W, Family, Rule

_TORCH_213 = torch_source("nadam.py", "NAdam", {
    "lr": 2e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
    "momentum_decay": 4e-3, "decoupled_weight_decay": 0.0, "maximize": 0.0})
_M = state("m", "m", "moving average of gradients (exp_avg)")
_V = state("v", "v", "moving average of squared gradients (exp_avg_sq)", nonnegative=True)
_P = state("mu_product", r"\Pi", "product of the momentum schedule mu_1 ... mu_t "
           "(kept in torch's default dtype, float32)", init=sp.Integer(1), nonnegative=True,
           dtype="float32")
_GRAD = temporary("grad")
_MU = temporary("mu_t", nonnegative=True)
_MU_NEXT = temporary("mu_next", nonnegative=True)
_DENOM = temporary("denom", nonnegative=True)

_DECAY_BASE = sp.Rational(24, 25)  # torch's literal 0.96


def _schedule(step: sp.Expr) -> sp.Expr:
    return BETA1 * (1 - sp.Rational(1, 2) * _DECAY_BASE ** (step * MOMENTUM_DECAY))


TORCH = Rule(
    family="nadam",
    variant="torch",
    title="torch.optim.NAdam (momentum schedule, weight decay, decoupled, maximize)",
    hypers=with_defaults([lr(2e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(0.0),
                          momentum_decay(4e-3),
                          flag(DECOUPLED, "W *= 1 - lr weight_decay instead of L2"),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_M, _V, _P),
    assignments=(
        (_GRAD, l2(maximize_sign(G), when=sp.Not(DECOUPLED))),
        (_MU, _schedule(T)),
        (_MU_NEXT, _schedule(T + 1)),
        (_P.symbol, _P.symbol * _MU),
        (_M.symbol, moving_average(_M.symbol, _GRAD, BETA1)),
        (_V.symbol, moving_average(_V.symbol, _GRAD**2, BETA2)),
        (_DENOM, root_denominator(_V.symbol / bias_correction(BETA2, T), EPS, eps_inside=False)),
        (W, decoupled_decay(W, when=DECOUPLED)
         - LR * (1 - _MU) / (1 - _P.symbol) * _GRAD / _DENOM
         - LR * _MU_NEXT / (1 - _P.symbol * _MU_NEXT) * _M.symbol / _DENOM),
    ),
    sources=(_TORCH_213,),
    summary=("mu_t = beta1 (1 - 0.5 * 0.96^(t psi));  P <- P mu_t;  m, v moving averages of "
             "grad;  d = sqrt(v / (1 - beta2^t)) + eps;  "
             "W <- W - lr (1 - mu_t) / (1 - P) grad / d - lr mu_next / (1 - P mu_next) m / d"),
    temporaries_latex={"grad": r"\tilde{g}", "mu_t": r"\mu_t", "mu_next": r"\mu_{t+1}",
                       "denom": "d"},
    api="torch",
)

FAMILY = Family("nadam", "NAdam", __doc__, (TORCH,), "NAdam")
