"""AdaGrad (Duchi, Hazan and Singer, 2011), diagonal form.

.. math::  h \\leftarrow h + g^2, \\qquad W \\leftarrow W - \\eta\\, g / (\\sqrt{h} + \\epsilon)

``eps_outside`` is the book's code (eps = 1e-7 hard-coded), PyTorch's
``Adagrad`` (eps = 1e-10, ``initial_accumulator_value = 0``) and tf.keras'
(eps = 1e-7, but the accumulator starts at 0.1).

``eps_inside`` puts epsilon under the root, ``g / sqrt(h + eps)``, as some study
notes write the formula (seed 001) while their code does the other; it is not
equal to ``eps_outside`` for any eps > 0 (proven in `spec.relations`).

``keras`` starts the accumulator at 0.1 (tf.keras 2's
``initial_accumulator_value``), epsilon outside; ``tf1`` also starts at 0.1 and
has no epsilon at all (TensorFlow 1's ``AdagradOptimizer``).

``torch`` is ``torch.optim.Adagrad`` with every switch (PyTorch 2.13.0,
``torch/optim/adagrad.py``, ``_single_tensor_adagrad``):

.. math::
   \\tilde g = \\pm g + \\lambda W, \\quad h \\leftarrow h + \\tilde g^2, \\quad
   \\eta_t = \\frac{\\eta}{1 + (t - 1)\\,\\eta_{decay}}, \\quad
   W \\leftarrow W - \\eta_t\\, \\tilde g / (\\sqrt{h} + \\epsilon)

with ``h`` starting at ``initial_accumulator_value`` (default 0; the sum is
created in the constructor) and defaults lr = 1e-2, eps = 1e-10.  optax's
``adagrad`` starts at 0.1 and puts eps (1e-7) inside the root of ``h`` (and
gives a zero step where ``h = 0``); tf.keras starts at 0.1 with eps outside
(``keras``).

``optax`` is ``optax.adagrad`` (optax 0.2.8, ``optax/_src/alias.py``, ``adagrad``: the chain
``scale_by_rss``, ``scale_by_learning_rate``): ``h`` from ``initial_accumulator_value``
= 0.1, ``W <- W - lr g rsqrt(h + eps)`` (eps = 1e-7 inside the root) where ``h > 0`` and
no step where ``h = 0``; ``learning_rate`` is required.

``keras3`` is ``keras.optimizers.Adagrad`` of Keras 3 (3.15.1,
``keras/src/optimizers/adagrad.py``, ``Adagrad.update_step``): ``W <- W - lr g /
sqrt(h + epsilon)``, the sum from 0.1, epsilon = 1e-7 *inside* the root, and the
decoupled ``weight_decay`` of every Keras optimizer first.  Warning: tf.keras 2 put
epsilon outside (``keras``, cited from its documentation, not run here); Keras 3 computes
optax's update (proven equal), not tf.keras 2's.  The name ``keras`` stays with the
tf.keras 2 form the checker already reports.
"""

import sympy as sp

from ._fragments import (BOOK, EPS, INITIAL_ACCUMULATOR, KERAS, LR, LR_DECAY, MAXIMIZE,
                         PYTORCH, TF1, accumulate, decoupled_decay, descend, eps, flag,
                         initial_accumulator_value, keras_source, l2, lr, lr_decay,
                         maximize_sign, optax_source, root_denominator, state, temporary,
                         torch_source, weight_decay, with_defaults)
from ._rule import G, T, W, Family, Rule, Source

_BOOK = Source("book", BOOK + " class AdaGrad", {"lr": 0.01, "eps": 1e-7}, ("eps",))
_TORCH = Source("pytorch", PYTORCH + ".Adagrad (initial_accumulator_value=0, lr_decay=0)",
                {"lr": 0.01, "eps": 1e-10})
_PAPER = Source("paper", "Duchi, Hazan & Singer 2011 (JMLR), the diagonal form",
                {"lr": 0.01, "eps": 1e-7})
_NOTES = Source("notes", "the formula W <- W - lr g / sqrt(h + eps) of study notes (seed 001)",
                {"lr": 0.01, "eps": 1e-7})
_KERAS = Source("keras", KERAS + ".Adagrad (initial_accumulator_value=0.1)",
                {"lr": 0.001, "eps": 1e-7})
_TF1 = Source("tf1", TF1 + ".AdagradOptimizer (initial_accumulator_value=0.1, no epsilon)",
              {"lr": 0.001})

_HYPERS = [lr(0.01), eps(1e-7)]


def _adagrad(variant: str, title: str, sources, summary, *, eps_inside=False, init=0.0,
             with_eps=True, difference=None) -> Rule:
    # the double nearest 0.1, as implementations store it, not 1/10
    h_state = state("h", "h", "sum of squared gradients", init=sp.Rational(init),
                    nonnegative=True)
    h = h_state.symbol
    denominator = root_denominator(h, EPS, eps_inside) if with_eps else sp.sqrt(h)
    hypers = _HYPERS if with_eps else _HYPERS[:1]
    return Rule(
        family="adagrad",
        variant=variant,
        title=title,
        hypers=with_defaults(hypers, sources[0]),
        states=(h_state,),
        assignments=(
            (h, accumulate(h, G**2)),
            (W, descend(W, LR, G / denominator)),
        ),
        sources=tuple(sources),
        summary=summary,
        difference=difference,
    )


EPS_OUTSIDE = _adagrad("eps_outside", "AdaGrad", (_BOOK, _TORCH, _PAPER),
                       "h <- h + g^2;  W <- W - lr g / (sqrt(h) + eps)")
EPS_INSIDE = _adagrad("eps_inside", "AdaGrad (epsilon inside the root)", (_NOTES,), "h <- h + g^2;  W <- W - lr g / sqrt(h + eps)",
                      eps_inside=True,
                      difference="epsilon inside the square root; the book and PyTorch put it outside")
KERAS_FORM = _adagrad("keras", "AdaGrad, accumulator starting at 0.1", (_KERAS,),
                      "h starts at 0.1;  h <- h + g^2;  W <- W - lr g / (sqrt(h) + eps)", init=0.1,
                      difference="the accumulator starts at 0.1, as tf.keras' Adagrad "
                                 "(initial_accumulator_value); the book and PyTorch start at 0")
TF1_FORM = _adagrad("tf1", "AdaGrad, accumulator starting at 0.1, no epsilon", (_TF1,), "h starts at 0.1;  h <- h + g^2;  W <- W - lr g / sqrt(h)",
                    init=0.1, with_eps=False,
                    difference="the accumulator starts at 0.1 and there is no epsilon, as "
                               "TensorFlow 1's AdagradOptimizer")

_TORCH_213 = torch_source("adagrad.py", "Adagrad", {
    "lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0,
    "eps": 1e-10, "maximize": 0.0})
_SUM = state("h", "h", "sum of squared gradients (torch's sum), from initial_accumulator_value",
             init=INITIAL_ACCUMULATOR, nonnegative=True)
_GRAD = temporary("grad")
_CLR = temporary("clr", nonnegative=True)

TORCH = Rule(
    family="adagrad",
    variant="torch",
    title="torch.optim.Adagrad (lr_decay, initial accumulator, weight decay, maximize)",
    hypers=with_defaults([lr(1e-2), lr_decay(0.0), weight_decay(0.0),
                          initial_accumulator_value(0.0), eps(1e-10),
                          flag(MAXIMIZE, "ascend: the gradient's sign flipped first")],
                         _TORCH_213),
    states=(_SUM,),
    assignments=(
        (_GRAD, l2(maximize_sign(G))),
        (_SUM.symbol, accumulate(_SUM.symbol, _GRAD**2)),
        (_CLR, LR / (1 + (T - 1) * LR_DECAY)),
        (W, descend(W, _CLR, _GRAD / root_denominator(_SUM.symbol, EPS, eps_inside=False))),
    ),
    sources=(_TORCH_213,),
    summary=("grad = (-g if maximize else g) + weight_decay W;  h starts at "
             "initial_accumulator_value;  h <- h + grad^2;  clr = lr / (1 + (t - 1) lr_decay);  "
             "W <- W - clr grad / (sqrt(h) + eps)"),
    difference=("torch.optim.Adagrad with its switches: epsilon outside the root, sign flipped "
                "under maximize, L2 weight decay in the gradient, the learning rate decayed as "
                "lr / (1 + (t - 1) lr_decay), the sum starting at initial_accumulator_value"),
    temporaries_latex={"grad": r"\tilde{g}", "clr": r"\eta_t"},
    api="torch",
)

_OPTAX = optax_source("adagrad", {"initial_accumulator_value": 0.1, "eps": 1e-7},
                      "scale_by_rss, scale_by_learning_rate", "learning_rate required")
_RSS = state("h", "h", "sum of squared gradients (sum_of_squares), from "
             "initial_accumulator_value", init=INITIAL_ACCUMULATOR, nonnegative=True)

OPTAX = Rule(
    family="adagrad",
    variant="optax",
    title="optax.adagrad (accumulator from 0.1, epsilon inside the root)",
    hypers=with_defaults([lr(0.01), initial_accumulator_value(0.1), eps(1e-7)], _OPTAX),
    states=(_RSS,),
    assignments=(
        (_RSS.symbol, accumulate(_RSS.symbol, G**2)),
        (W, descend(W, LR, sp.Piecewise((G / root_denominator(_RSS.symbol, EPS, eps_inside=True),
                                         _RSS.symbol > 0), (0, True)))),
    ),
    sources=(_OPTAX,),
    summary=("h starts at initial_accumulator_value;  h <- h + g^2;  "
             "W <- W - lr g / sqrt(h + eps) where h > 0, W where h = 0"),
    difference=("optax.adagrad: epsilon inside the root and the sum starting at 0.1, as "
                "Keras 3; no step where the sum is 0"),
    api="optax",
)

_KERAS3 = keras_source("adagrad.py", "Adagrad", {
    "lr": 1e-3, "initial_accumulator_value": 0.1, "eps": 1e-7, "weight_decay": 0.0},
    "weight_decay=None is 0")

KERAS3 = Rule(
    family="adagrad",
    variant="keras3",
    title="keras.optimizers.Adagrad of Keras 3 (epsilon inside the root, decoupled weight decay)",
    hypers=with_defaults([lr(1e-3), initial_accumulator_value(0.1), eps(1e-7),
                          weight_decay(0.0)], _KERAS3),
    states=(_RSS,),
    assignments=(
        (_RSS.symbol, accumulate(_RSS.symbol, G**2)),
        (W, descend(decoupled_decay(W), LR,
                    G / root_denominator(_RSS.symbol, EPS, eps_inside=True))),
    ),
    sources=(_KERAS3,),
    summary="W <- W - lr wd W;  h starts at 0.1;  h <- h + g^2;  W <- W - lr g / sqrt(h + eps)",
    difference=("Keras 3's Adagrad: epsilon inside the root (tf.keras 2, variant keras, put it "
                "outside), the sum starting at 0.1, decoupled weight decay applied first"),
    api="keras",
)

FAMILY = Family("adagrad", "AdaGrad", __doc__,
                (EPS_OUTSIDE, EPS_INSIDE, KERAS_FORM, TF1_FORM, TORCH, OPTAX, KERAS3), "AdaGrad")
