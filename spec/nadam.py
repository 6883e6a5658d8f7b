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

``optax`` is ``optax.nadam`` (optax 0.2.8, ``optax/_src/alias.py``: ``nadam =
functools.partial(adam, nesterov=True)``, so ``scale_by_adam(nesterov=True)`` then
``scale_by_learning_rate``): no schedule, ``m_hat = beta1 m / (1 - beta1^(t+1)) +
(1 - beta1) g / (1 - beta1^t)``, ``v_hat = v / (1 - beta2^t)``,
``W <- W - lr m_hat / (sqrt(v_hat + eps_root) + eps)``; built from ``adam/optax``'s
equations with nesterov fixed on.  It differs from torch's (proven).

``keras`` is ``keras.optimizers.Nadam`` (Keras 3.15.1, ``keras/src/optimizers/nadam.py``,
``Nadam.update_step`` and ``_backend_update_step``): torch's equations with the
schedule ``0.96**t`` (psi = 1, so mu_t reaches beta1 within a few hundred steps),
``u_product`` kept in the variables' dtype, defaults learning_rate = 0.001,
epsilon = 1e-7, and the decoupled ``weight_decay`` of every Keras optimizer first.
Proven: without weight decay it is ``torch`` with momentum_decay = 1.
"""

import sympy as sp

from ._fragments import (BETA1, BETA2, DECOUPLED, EPS, LR, MAXIMIZE, MOMENTUM_DECAY, beta1,
                         beta2, bias_correction, decoupled_decay, eps, flag, keras_source, l2,
                         lr, maximize_sign, momentum_decay, moving_average, optax_source,
                         root_denominator, state, temporary, torch_source, weight_decay,
                         with_defaults)
from ._rule import G, T, W, Family, Rule, State
from .adam import optax_adam

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


def _schedule(step: sp.Expr, psi: sp.Expr = MOMENTUM_DECAY) -> sp.Expr:
    return BETA1 * (1 - sp.Rational(1, 2) * _DECAY_BASE ** (step * psi))


def scheduled_nadam(variant: str, title: str, hypers, source, grad: sp.Expr, start: sp.Expr,
                    product: State, psi: sp.Expr, api: str, summary: str,
                    difference: str | None) -> Rule:
    """Dozat's NAdam with the momentum schedule, as torch and Keras write it: ``grad`` the
    gradient the moments see, ``start`` W before the step (decoupled decay or W),
    ``product`` the state P (torch keeps it in float32), ``psi`` the schedule's rate."""
    p = product.symbol
    mu, mu_next = _schedule(T, psi), _schedule(T + 1, psi)
    return Rule(
        family="nadam",
        variant=variant,
        title=title,
        hypers=with_defaults(hypers, source),
        states=(_M, _V, product),
        assignments=(
            (_GRAD, grad),
            (_MU, mu),
            (_MU_NEXT, mu_next),
            (p, p * _MU),
            (_M.symbol, moving_average(_M.symbol, _GRAD, BETA1)),
            (_V.symbol, moving_average(_V.symbol, _GRAD**2, BETA2)),
            (_DENOM, root_denominator(_V.symbol / bias_correction(BETA2, T), EPS,
                                      eps_inside=False)),
            (W, start
             - LR * (1 - _MU) / (1 - p) * _GRAD / _DENOM
             - LR * _MU_NEXT / (1 - p * _MU_NEXT) * _M.symbol / _DENOM),
        ),
        sources=(source,),
        summary=summary,
        difference=difference,
        temporaries_latex={"grad": r"\tilde{g}", "mu_t": r"\mu_t", "mu_next": r"\mu_{t+1}",
                           "denom": "d"},
        api=api,
    )


TORCH = scheduled_nadam(
    "torch", "torch.optim.NAdam (momentum schedule, weight decay, decoupled, maximize)",
    [lr(2e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(0.0), momentum_decay(4e-3),
     flag(DECOUPLED, "W *= 1 - lr weight_decay instead of L2"),
     flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
    _TORCH_213, l2(maximize_sign(G), when=sp.Not(DECOUPLED)), decoupled_decay(W, when=DECOUPLED),
    _P, MOMENTUM_DECAY, "torch",
    "mu_t = beta1 (1 - 0.5 * 0.96^(t psi));  P <- P mu_t;  m, v moving averages of "
    "grad;  d = sqrt(v / (1 - beta2^t)) + eps;  "
    "W <- W - lr (1 - mu_t) / (1 - P) grad / d - lr mu_next / (1 - P mu_next) m / d",
    None)

_OPTAX = optax_source("nadam", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_root": 0.0},
                      "scale_by_adam(nesterov=True), scale_by_learning_rate",
                      "functools.partial(adam, nesterov=True); learning_rate required")

OPTAX = optax_adam(
    "nadam", "optax", sp.true, False, _OPTAX, "optax.nadam (Adam with optax's Nesterov m_hat)",
    "m, v moving averages;  m_hat = beta1 m / (1 - beta1^(t+1)) + (1 - beta1) g / (1 - beta1^t);  "
    "W <- W - lr m_hat / (sqrt(v_hat + eps_root) + eps)",
    "optax.nadam: no momentum schedule; m_hat = beta1 m / (1 - beta1^(t+1)) + (1 - beta1) g / "
    "(1 - beta1^t), eps_root inside the root and eps outside")

_KERAS = keras_source("nadam.py", "Nadam", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "weight_decay": 0.0},
    "weight_decay=None is 0; u_product updated in _backend_update_step")
_P_KERAS = state("mu_product", r"\Pi", "product of the momentum schedule mu_1 ... mu_t "
                 "(Keras' u_product, in the dtype of the first variable)", init=sp.Integer(1),
                 nonnegative=True)

KERAS = scheduled_nadam(
    "keras", "keras.optimizers.Nadam (momentum schedule 0.96^t, decoupled weight decay)",
    [lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-7), weight_decay(0.0)], _KERAS, G,
    decoupled_decay(W), _P_KERAS, sp.Integer(1), "keras",
    "W <- W - lr wd W;  mu_t = beta1 (1 - 0.5 * 0.96^t);  P <- P mu_t;  m, v moving averages;  "
    "d = sqrt(v / (1 - beta2^t)) + eps;  "
    "W <- W - lr (1 - mu_t) / (1 - P) g / d - lr mu_next / (1 - P mu_next) m / d",
    "keras.optimizers.Nadam: torch's schedule with psi = 1 (0.96^t), epsilon 1e-7, P kept "
    "in the variables' dtype, decoupled weight decay applied first")

FAMILY = Family("nadam", "NAdam", __doc__, (TORCH, OPTAX, KERAS), "NAdam")
