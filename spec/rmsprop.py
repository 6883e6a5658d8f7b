"""RMSProp (Tieleman and Hinton, 2012, lecture 6e).

.. math::  h \\leftarrow \\rho h + (1 - \\rho) g^2, \\qquad W \\leftarrow W - \\eta\\, g / (\\sqrt{h} + \\epsilon)

``eps_outside``: the book (``decay_rate = 0.99``, eps = 1e-7 hard-coded) and
PyTorch's ``RMSprop`` (``alpha = 0.99``, eps = 1e-8, centered=False,
momentum=0).

``eps_inside``: ``g / sqrt(h + eps)``, as tf.keras 2's ``RMSprop`` (rho = 0.9,
eps = 1e-7).  Epsilon under the root acts like eps**2 outside it.

``tf1``: TensorFlow 1's ``RMSPropOptimizer`` (decay = 0.9, eps = 1e-10) puts
epsilon inside the root too, and starts the average at 1, not 0 (its "rms"
slot is created with a ones initializer), which damps the first steps.

``torch`` is ``torch.optim.RMSprop`` with every switch (PyTorch 2.13.0,
``torch/optim/rmsprop.py``, ``_single_tensor_rmsprop``); torch's ``alpha`` is
``decay_rate``:

.. math::
   \\tilde g = \\pm g + \\lambda W, \\quad h \\leftarrow \\alpha h + (1-\\alpha)\\tilde g^2,
   \\quad \\bar g \\leftarrow \\alpha \\bar g + (1-\\alpha)\\tilde g \\ (\\text{centered}),
   \\quad a = \\sqrt{h - \\bar g^2} + \\epsilon \\ \\text{or} \\ \\sqrt{h} + \\epsilon

then, with ``momentum > 0``, ``b <- mu b + grad / a; W <- W - lr b`` (the
buffer starts at 0 and is in units of g, lr outside), else
``W <- W - lr grad / a``.  Defaults lr = 1e-2, alpha = 0.99, eps = 1e-8.
optax's ``rmsprop`` puts eps inside the root by default (``eps_in_sqrt``),
centers with ``sqrt(nu - mu^2 + eps)`` and applies momentum after the
learning rate (a trace of ``lr`` times the scaled gradient: lr inside the
buffer); tf.keras puts epsilon inside the root (``eps_inside``).

``optax`` is ``optax.rmsprop`` (optax 0.2.8, ``optax/_src/alias.py``, ``rmsprop``: the chain
``scale_by_rms`` (or ``scale_by_stddev`` when centered), ``scale_by_learning_rate``, then
``trace(decay=momentum, nesterov)``): ``h`` from ``initial_scale`` (0), decay = 0.9,
eps = 1e-8 *inside* the root by default (``eps_in_sqrt=True``: ``rsqrt(h + eps)``;
off, ``1 / (sqrt(h) + eps)``), ``centered`` dividing by the root of ``h - g_avg^2``,
``bias_correction`` dividing h and g_avg by ``1 - decay^t``, and momentum as a trace
of the lr-scaled step, ``v <- -lr g / s + mu v``, so lr is inside the buffer
(``momentum=None``, the default, skips the trace: the same number as 0).
``learning_rate`` is required.  Proven: with its defaults it is ``eps_inside``.
Warning: ``centered=True`` with ``bias_correction=True`` divides by the root of a
variance that is exactly 0 at the first step (``g^2 - g^2``); optax then returns NaN
wherever its rounding makes it negative (seen in the sweep), and the rule refuses that
combination.

``keras`` is ``keras.optimizers.RMSprop`` (Keras 3.15.1, ``keras/src/optimizers/rmsprop.py``,
``RMSprop.update_step``): epsilon = 1e-7 inside the root (``sqrt(h - g_avg^2 + eps)``
when centered), momentum ``v <- mu v + lr g / sqrt(...)``, ``W <- W - v`` (lr inside),
rho = 0.9, learning_rate = 0.001, and the decoupled ``weight_decay`` of every Keras
optimizer first.  Proven: it is optax's rmsprop with eps_in_sqrt (its v is minus
optax's trace), and ``eps_inside`` without momentum or centering.
"""

import sympy as sp

from ._fragments import (BIAS_CORRECTION, BOOK, CENTERED, DECAY, EPS, EPS_IN_SQRT,
                         INITIAL_SCALE, KERAS, LR, MAXIMIZE, MOMENTUM, NESTEROV, PYTORCH, TF1,
                         bias_correction, decay_rate, decoupled_decay, descend, eps, flag,
                         heavy_ball, initial_scale, keras_source, l2, lr, maximize_sign,
                         momentum, momentum_buffer, moving_average, optax_source,
                         root_denominator, state, temporary, torch_source, velocity,
                         weight_decay, with_defaults)
from ._rule import G, T, W, Constraint, Family, Rule, Source

_BOOK = Source("book", BOOK + " class RMSprop", {"lr": 0.01, "decay_rate": 0.99, "eps": 1e-7},
               ("eps",))
_TORCH = Source("pytorch", PYTORCH + ".RMSprop (alpha is decay_rate)",
                {"lr": 0.01, "decay_rate": 0.99, "eps": 1e-8})
_PAPER = Source("paper", "Tieleman & Hinton 2012, Coursera Neural Networks lecture 6.5",
                {"lr": 0.001, "decay_rate": 0.9, "eps": 1e-8})
_TF1 = Source("tf1", TF1 + ".RMSPropOptimizer (decay is decay_rate, momentum=0)",
              {"lr": 0.001, "decay_rate": 0.9, "eps": 1e-10})
_KERAS = Source("keras", KERAS + ".RMSprop (rho is decay_rate)",
                {"lr": 0.001, "decay_rate": 0.9, "eps": 1e-7})

_HYPERS = [lr(0.01), decay_rate(0.99), eps(1e-7)]


def _rmsprop(variant: str, eps_inside: bool, sources, summary, difference=None, init=0) -> Rule:
    h_state = state("h", "h", "moving average of squared gradients", init=sp.Integer(init),
                    nonnegative=True)
    h = h_state.symbol
    return Rule(
        family="rmsprop",
        variant=variant,
        title="RMSProp" + (" (epsilon inside the root)" if eps_inside else "")
        + (f", average starting at {init}" if init else ""),
        hypers=with_defaults(_HYPERS, sources[0]),
        states=(h_state,),
        assignments=(
            (h, moving_average(h, G**2, DECAY)),
            (W, descend(W, LR, G / root_denominator(h, EPS, eps_inside))),
        ),
        sources=tuple(sources),
        summary=summary,
        difference=difference,
    )


EPS_OUTSIDE = _rmsprop("eps_outside", False, (_BOOK, _TORCH, _PAPER),
                       "h <- rho h + (1 - rho) g^2;  W <- W - lr g / (sqrt(h) + eps)")
EPS_INSIDE = _rmsprop("eps_inside", True, (_KERAS,),
                      "h <- rho h + (1 - rho) g^2;  W <- W - lr g / sqrt(h + eps)",
                      "epsilon inside the square root, as tf.keras' RMSprop; "
                      "the book and PyTorch put it outside")
TF1_FORM = _rmsprop("tf1", True, (_TF1,),
                    "h starts at 1;  h <- rho h + (1 - rho) g^2;  W <- W - lr g / sqrt(h + eps)",
                    "the average starts at 1 and epsilon is inside the square root, as "
                    "TensorFlow 1's RMSPropOptimizer; the book, PyTorch and Keras start at 0",
                    init=1)

_TORCH_213 = torch_source("rmsprop.py", "RMSprop", {
    "lr": 1e-2, "decay_rate": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0,
    "centered": 0.0, "maximize": 0.0}, "alpha is decay_rate")
_H = state("h", "h", "moving average of squared gradients (square_avg)", nonnegative=True)
_GA = state("g_avg", r"\bar{g}", "moving average of gradients (grad_avg, centered only)")
_B = momentum_buffer()
_GRAD = temporary("grad")
_AVG = temporary("avg", nonnegative=True)
_HAS_MOMENTUM = MOMENTUM > 0

TORCH = Rule(
    family="rmsprop",
    variant="torch",
    title="torch.optim.RMSprop (centered, momentum, weight decay, maximize)",
    hypers=with_defaults([lr(1e-2), decay_rate(0.99), eps(1e-8), weight_decay(0.0),
                          momentum(0.0, aliases=("mu",)),
                          flag(CENTERED, "divide by the root of the variance, h - g_avg^2"),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_H, _GA, _B),
    assignments=(
        (_GRAD, l2(maximize_sign(G))),
        (_H.symbol, moving_average(_H.symbol, _GRAD**2, DECAY)),
        (_GA.symbol, sp.Piecewise((moving_average(_GA.symbol, _GRAD, DECAY), CENTERED),
                                  (_GA.symbol, True))),
        (_AVG, root_denominator(sp.Piecewise((_H.symbol - _GA.symbol**2, CENTERED),
                                             (_H.symbol, True)), EPS, eps_inside=False)),
        (_B.symbol, sp.Piecewise((heavy_ball(_B.symbol, MOMENTUM, _GRAD / _AVG), _HAS_MOMENTUM),
                                 (_B.symbol, True))),
        (W, descend(W, LR, sp.Piecewise((_B.symbol, _HAS_MOMENTUM), (_GRAD / _AVG, True)))),
    ),
    sources=(_TORCH_213,),
    summary=("grad = (-g if maximize else g) + weight_decay W;  h <- alpha h + (1 - alpha) grad^2;  "
             "avg = sqrt(h - g_avg^2) + eps (centered) or sqrt(h) + eps;  "
             "momentum > 0: b <- mu b + grad / avg, W <- W - lr b;  else W <- W - lr grad / avg"),
    difference=("torch.optim.RMSprop with its switches: epsilon outside the root, sign flipped "
                "under maximize, L2 weight decay in the gradient, centered by a moving average "
                "of the gradient, momentum buffer b <- mu b + grad / avg with lr outside"),
    temporaries_latex={"grad": r"\tilde{g}", "avg": "a"},
    api="torch",
)

_OPTAX = optax_source("rmsprop", {
    "decay_rate": 0.9, "eps": 1e-8, "initial_scale": 0.0, "eps_in_sqrt": 1.0, "centered": 0.0,
    "momentum": 0.0, "nesterov": 0.0, "bias_correction": 0.0},
    "scale_by_rms or (centered) scale_by_stddev, scale_by_learning_rate, then trace(decay="
    "momentum, nesterov) (optax/transforms/_accumulation.py)",
    "learning_rate required; decay is decay_rate; momentum=None is 0")
_NU = state("h", "h", "moving average of squared gradients (nu), from initial_scale",
            init=INITIAL_SCALE, nonnegative=True)
_V = velocity()  # optax's trace and Keras' momentum hold lr times the scaled gradient
_SCALED = temporary("u")
_VAR = temporary("var", nonnegative=True)


def _corrected(x):
    return sp.Piecewise((x / bias_correction(DECAY, T), BIAS_CORRECTION), (x, True))


def _centered_average():
    return (_GA.symbol, sp.Piecewise((moving_average(_GA.symbol, G, DECAY), CENTERED),
                                     (_GA.symbol, True)))


OPTAX = Rule(
    family="rmsprop",
    variant="optax",
    title="optax.rmsprop (eps_in_sqrt, centered, momentum trace, nesterov, bias correction)",
    hypers=with_defaults([
        lr(0.01), decay_rate(0.9), eps(1e-8), initial_scale(0.0),
        flag(EPS_IN_SQRT, "epsilon inside the root, rsqrt(h + eps)", 1.0),
        flag(CENTERED, "divide by the root of the variance, h - g_avg^2"),
        momentum(0.0, aliases=("mu",)),
        flag(NESTEROV, "the trace moves W by u + mu v"),
        flag(BIAS_CORRECTION, "h and g_avg divided by 1 - decay^t")], _OPTAX),
    states=(_NU, _GA, _V),
    assignments=(
        (_NU.symbol, moving_average(_NU.symbol, G**2, DECAY)),
        _centered_average(),
        (_VAR, sp.Piecewise((_corrected(_NU.symbol) - _corrected(_GA.symbol)**2, CENTERED),
                            (_corrected(_NU.symbol), True))),
        (_SCALED, -LR * G / sp.Piecewise((root_denominator(_VAR, EPS, eps_inside=True),
                                          EPS_IN_SQRT),
                                         (root_denominator(_VAR, EPS, eps_inside=False), True))),
        (_V.symbol, heavy_ball(_V.symbol, MOMENTUM, _SCALED)),
        (W, W + sp.Piecewise((heavy_ball(_V.symbol, MOMENTUM, _SCALED), NESTEROV),
                             (_V.symbol, True))),
    ),
    sources=(_OPTAX,),
    summary=("h <- decay h + (1 - decay) g^2 (from initial_scale);  var = h (or h - g_avg^2, "
             "centered; each / (1 - decay^t) with bias_correction);  "
             "u = -lr g / sqrt(var + eps) (or / (sqrt(var) + eps));  v <- u + mu v;  "
             "W <- W + (u + mu v if nesterov else v)"),
    difference=("optax.rmsprop: epsilon inside the root by default (eps_in_sqrt), centered by "
                "a moving average of g, an optional bias correction, and momentum as a trace "
                "of the lr-scaled step (lr inside the buffer, unlike torch's)"),
    temporaries_latex={"u": "u", "var": r"\sigma^2"},
    api="optax",
    constraints=(Constraint(
        sp.Not(sp.And(CENTERED, BIAS_CORRECTION)),
        "centered=True with bias_correction=True is refused: the corrected variance at "
        "t = 1 is g^2 - g^2 plus decay initial_scale / (1 - decay), exactly 0 with the "
        "default initial_scale = 0 (and whenever the gradients are constant), so the step is "
        "lr g / sqrt(eps) at best and NaN where optax's rounding makes the variance negative; "
        "a difference of equal terms that no error bound can judge"),),
)

_KERAS = keras_source("rmsprop.py", "RMSprop", {
    "lr": 1e-3, "decay_rate": 0.9, "momentum": 0.0, "eps": 1e-7, "centered": 0.0,
    "weight_decay": 0.0}, "rho is decay_rate; weight_decay=None is 0")
_INCREMENT = temporary("inc")

KERAS = Rule(
    family="rmsprop",
    variant="keras",
    title="keras.optimizers.RMSprop (centered, momentum, decoupled weight decay)",
    hypers=with_defaults([lr(1e-3), decay_rate(0.9), momentum(0.0, aliases=("mu",)), eps(1e-7),
                          flag(CENTERED, "divide by the root of h - g_avg^2 + eps"),
                          weight_decay(0.0)], _KERAS),
    states=(_H, _GA, _V),
    assignments=(
        (_H.symbol, moving_average(_H.symbol, G**2, DECAY)),
        _centered_average(),
        (_INCREMENT, LR * G / root_denominator(sp.Piecewise(
            (_H.symbol - _GA.symbol**2, CENTERED), (_H.symbol, True)), EPS, eps_inside=True)),
        (_V.symbol, sp.Piecewise((heavy_ball(_V.symbol, MOMENTUM, _INCREMENT), _HAS_MOMENTUM),
                                 (_V.symbol, True))),
        (W, decoupled_decay(W) - sp.Piecewise((_V.symbol, _HAS_MOMENTUM), (_INCREMENT, True))),
    ),
    sources=(_KERAS,),
    summary=("W <- W - lr wd W;  h <- rho h + (1 - rho) g^2;  inc = lr g / sqrt(h + eps) "
             "(or sqrt(h - g_avg^2 + eps), centered);  momentum > 0: v <- mu v + inc, "
             "W <- W - v;  else W <- W - inc"),
    difference=("keras.optimizers.RMSprop: epsilon inside the root, centered inside it too, "
                "momentum as a buffer of lr-scaled steps (lr inside), decoupled weight decay "
                "applied first"),
    temporaries_latex={"inc": r"\Delta"},
    api="keras",
)

FAMILY = Family("rmsprop", "RMSProp", __doc__,
                (EPS_OUTSIDE, EPS_INSIDE, TF1_FORM, TORCH, OPTAX, KERAS), "RMSprop")
