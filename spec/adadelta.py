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
"""

from ._fragments import (DECAY, EPS, LR, MAXIMIZE, decay_rate, descend, eps, flag, l2, lr,
                         maximize_sign, moving_average, root_denominator, state, temporary,
                         torch_source, weight_decay, with_defaults)
from ._rule import CLOSED_UNIT, G, W, Family, Rule

_TORCH_213 = torch_source("adadelta.py", "Adadelta", {
    "lr": 1.0, "decay_rate": 0.9, "eps": 1e-6, "weight_decay": 0.0, "maximize": 0.0},
    "rho is decay_rate")
_V = state("v", "v", "moving average of squared gradients (square_avg)", nonnegative=True)
_U = state("u", "u", "moving average of squared steps (acc_delta)", nonnegative=True)
_GRAD = temporary("grad")
_DELTA = temporary("delta")

TORCH = Rule(
    family="adadelta",
    variant="torch",
    title="torch.optim.Adadelta (weight decay, maximize)",
    hypers=with_defaults([lr(1.0), decay_rate(0.9, CLOSED_UNIT), eps(1e-6), weight_decay(0.0),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_V, _U),
    assignments=(
        (_GRAD, l2(maximize_sign(G))),
        (_V.symbol, moving_average(_V.symbol, _GRAD**2, DECAY)),
        (_DELTA, root_denominator(_U.symbol, EPS, eps_inside=True)
         / root_denominator(_V.symbol, EPS, eps_inside=True) * _GRAD),
        (_U.symbol, moving_average(_U.symbol, _DELTA**2, DECAY)),
        (W, descend(W, LR, _DELTA)),
    ),
    sources=(_TORCH_213,),
    summary=("grad = (-g if maximize else g) + weight_decay W;  v <- rho v + (1 - rho) grad^2;  "
             "delta = sqrt(u + eps) / sqrt(v + eps) grad;  u <- rho u + (1 - rho) delta^2;  "
             "W <- W - lr delta"),
    temporaries_latex={"grad": r"\tilde{g}", "delta": r"\delta"},
    api="torch",
)

FAMILY = Family("adadelta", "Adadelta", __doc__, (TORCH,), "Adadelta")
