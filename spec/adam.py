"""Adam (Kingma and Ba, 2015).

``algorithm1`` is the paper's Algorithm 1: bias-corrected moments, epsilon
added to the root of the corrected second moment.  PyTorch's ``Adam``, optax's
``adam`` and CS231n's ``adam`` compute exactly this (defaults lr = 1e-3,
betas = (0.9, 0.999), eps = 1e-8):

.. math::
   m \\leftarrow \\beta_1 m + (1-\\beta_1) g, \\quad
   v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2, \\quad
   W \\leftarrow W - \\eta\\, \\frac{m / (1-\\beta_1^t)}{\\sqrt{v / (1-\\beta_2^t)} + \\epsilon}

``eps_hat`` is the "more efficient" order of the paper's section 2, used by
the book (eps = 1e-7 hard-coded), TensorFlow 1 (eps = 1e-8) and tf.keras 2
(eps = 1e-7): the bias correction is folded into the step size and epsilon is
added to the root of the *uncorrected* v, so it is the paper's epsilon-hat:

.. math::
   \\eta_t = \\eta \\sqrt{1-\\beta_2^t} / (1-\\beta_1^t), \\quad
   W \\leftarrow W - \\eta_t\\, m / (\\sqrt{v} + \\hat\\epsilon)

The two are equal exactly when ``eps_hat = eps * sqrt(1 - beta2**t)``, which
changes every step, so no constant epsilon makes them agree (proven in
`spec.relations`).  The difference shows where v is comparable to eps**2.

``eps_inside`` puts epsilon under the root of the corrected second moment,
as public CS231n solutions write it (``m_hat / np.sqrt(v_hat + eps)``); it is
optax's ``scale_by_adam`` with ``eps = 0`` and ``eps_root`` in eps's place
(optax adds ``eps_root`` inside the root and ``eps`` outside it):

.. math::
   W \\leftarrow W - \\eta\\, \\frac{m / (1-\\beta_1^t)}{\\sqrt{v / (1-\\beta_2^t) + \\epsilon}}

Warning: under the root epsilon acts like eps**2 outside it, so the same
eps = 1e-8 is a far larger floor (1e-4 against 1e-8); it differs from
``algorithm1`` for every eps > 0 and agrees at eps = 0 (proven in
`spec.relations`), like AdaGrad's and RMSProp's epsilon-inside forms.

``torch`` is ``torch.optim.Adam`` with every switch (PyTorch 2.13.0,
``torch/optim/adam.py``, ``_single_tensor_adam``): Algorithm 1 on
``grad = (-g if maximize else g)``, plus ``weight_decay * W`` added to grad
(L2, the default) or, with ``decoupled_weight_decay=True``, the parameter
first multiplied by ``1 - lr * weight_decay`` (that flag makes it exactly
``torch.optim.AdamW``, family ``adamw``).  With ``amsgrad=True`` the running
maximum is taken of the *raw* second moment, ``vmax = max(vmax, v)``, and the
denominator is ``sqrt(vmax) / sqrt(1 - beta2**t) + eps``; optax's ``amsgrad``
takes the maximum of the bias-corrected ``v / (1 - beta2**t)`` instead (its
``bias_correction_nu=True``), which differs whenever the correction shrinks
past values.  torch computes ``sqrt(v) / sqrt(1 - beta2**t) + eps`` where the
paper writes ``sqrt(v / (1 - beta2**t)) + eps``: the same number.

``optax`` is ``optax.adam`` (optax 0.2.8, ``optax/_src/alias.py``, ``adam``: the chain
``scale_by_adam`` of ``optax/_src/transform.py``, then ``scale_by_learning_rate``):

.. math::
   W \\leftarrow W - \\eta\\, \\frac{\\hat m}{\\sqrt{\\hat v + \\epsilon_{root}} + \\epsilon}

with ``eps_root`` (default 0) inside the root and ``eps`` (1e-8) outside; with
``nesterov=True`` (``optax.nadam``), ``m_hat = beta1 m / (1 - beta1^(t+1)) + (1 - beta1)
g / (1 - beta1^t)``.  ``learning_rate`` is required.  Proven: with eps_root = 0 and no
nesterov it is ``algorithm1``; with eps = 0 it is ``eps_inside`` with eps_root as eps.

``optax_amsgrad`` is ``optax.amsgrad`` (``scale_by_amsgrad``): the running maximum is
taken of the *bias-corrected* second moment, ``vmax = max(vmax, v / (1 - beta2^t))``
(``bias_correction_nu=True``, the default; off, of the raw v, with no correction at
all), and ``m`` is corrected unless ``bias_correction_mu=False``; the denominator is
``sqrt(vmax + eps_root) + eps``.  Warning: torch's ``amsgrad=True`` takes the maximum
of the raw v and corrects after; the two differ as soon as a later corrected v is
below an earlier one (proven in `spec.relations`).

``keras`` is ``keras.optimizers.Adam`` (Keras 3.15.1, ``keras/src/optimizers/adam.py``,
``Adam.update_step``): the epsilon-hat form (``alpha = lr sqrt(1 - beta2^t) /
(1 - beta1^t)``, ``W -= m alpha / (sqrt(v) + epsilon)``, epsilon = 1e-7), moments
updated as the book does (``m += (g - m)(1 - beta1)``), ``amsgrad=True`` taking the
maximum of the raw v, and the decoupled ``weight_decay`` of every Keras optimizer
(``W <- W - W wd lr`` first; default None, none).  Proven: with amsgrad off and no
weight decay it is ``eps_hat``.
"""

import sympy as sp

from ._fragments import (AMSGRAD, BETA1, BETA2, BIAS_CORRECTION_MU, BIAS_CORRECTION_NU, BOOK,
                         CS231N, DECOUPLED, EPS, EPS_ROOT, KERAS, LR, MAXIMIZE, NESTEROV, OPTAX,
                         PYTORCH, TF1, beta1, beta2, bias_correction, decoupled_decay, descend,
                         eps, eps_root, flag, keras_source, l2, lr, maximize_sign,
                         moving_average, optax_source, root_denominator, state, temporary,
                         torch_source, weight_decay, with_defaults)
from ._rule import G, T, W, Family, Rule, Source

_PAPER = Source("paper", "Kingma & Ba 2015 (ICLR), Algorithm 1",
                {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_TORCH = Source("pytorch", PYTORCH + ".Adam (amsgrad=False, weight_decay=0)",
                {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_OPTAX = Source("optax", OPTAX + ".adam (eps_root=0)",
                {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_CS231N = Source("cs231n", CS231N + " adam",
                 {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_PAPER_HAT = Source("paper", "Kingma & Ba 2015 (ICLR), section 2, the efficient order (epsilon-hat)",
                    {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_BOOK = Source("book", BOOK + " class Adam",
               {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7}, ("eps",))
_TF1 = Source("tf1", TF1 + ".AdamOptimizer",
              {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_KERAS = Source("keras", KERAS + ".Adam (amsgrad=False)",
                {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7})
_NOTES = Source("notes", "public CS231n solutions that write m_hat / np.sqrt(v_hat + eps)",
                {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})
_OPTAX_ROOT = Source("optax", OPTAX + ".scale_by_adam (eps=0, eps_root is eps)",
                     {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8})

_M = state("m", "m", "moving average of gradients (first moment)")
_V = state("v", "v", "moving average of squared gradients (second moment)", nonnegative=True)
_HYPERS = [lr(0.001, "alpha"), beta1(0.9), beta2(0.999), eps(1e-8)]

_MOMENTS = (
    (_M.symbol, moving_average(_M.symbol, G, BETA1)),
    (_V.symbol, moving_average(_V.symbol, G**2, BETA2)),
)

_M_HAT = temporary("m_hat")
_V_HAT = temporary("v_hat", nonnegative=True)
_LR_T = temporary("lr_t", nonnegative=True)


def _corrected(eps_inside: bool):
    """The moments, their bias corrections, and the step with epsilon outside or inside
    the root of the corrected second moment."""
    return _MOMENTS + (
        (_M_HAT, _M.symbol / bias_correction(BETA1, T)),
        (_V_HAT, _V.symbol / bias_correction(BETA2, T)),
        (W, descend(W, LR, _M_HAT / root_denominator(_V_HAT, EPS, eps_inside))),
    )


ALGORITHM1 = Rule(
    family="adam",
    variant="algorithm1",
    title="Adam (Kingma & Ba, Algorithm 1)",
    hypers=with_defaults(_HYPERS, _PAPER),
    states=(_M, _V),
    assignments=_corrected(eps_inside=False),
    sources=(_PAPER, _TORCH, _OPTAX, _CS231N),
    summary="m, v moving averages;  W <- W - lr m_hat / (sqrt(v_hat) + eps)",
    temporaries_latex={"m_hat": r"\hat{m}", "v_hat": r"\hat{v}"},
)

EPS_HAT = Rule(
    family="adam",
    variant="eps_hat",
    title="Adam, efficient form with epsilon-hat (Kingma & Ba, section 2)",
    hypers=with_defaults(_HYPERS, _BOOK),
    states=(_M, _V),
    assignments=_MOMENTS + (
        (_LR_T, LR * sp.sqrt(bias_correction(BETA2, T)) / bias_correction(BETA1, T)),
        (W, descend(W, _LR_T, _M.symbol / root_denominator(_V.symbol, EPS, eps_inside=False))),
    ),
    sources=(_BOOK, _TF1, _KERAS, _PAPER_HAT),
    summary="lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t);  W <- W - lr_t m / (sqrt(v) + eps)",
    difference=("bias correction folded into the learning rate and epsilon added to sqrt(v), "
                "so eps is the paper's epsilon-hat, as the book, TensorFlow and Keras do; "
                "PyTorch and optax add eps to sqrt of the corrected v"),
    temporaries_latex={"lr_t": r"\eta_t"},
)

EPS_INSIDE = Rule(
    family="adam",
    variant="eps_inside",
    title="Adam (epsilon inside the root of the corrected second moment)",
    hypers=with_defaults(_HYPERS, _NOTES),
    states=(_M, _V),
    assignments=_corrected(eps_inside=True),
    sources=(_NOTES, _OPTAX_ROOT),
    summary="m, v moving averages;  W <- W - lr m_hat / sqrt(v_hat + eps)",
    difference=("epsilon inside the square root of the corrected v, as optax's eps_root "
                "(scale_by_adam with eps=0) and some public CS231n solutions; the paper, "
                "PyTorch and CS231n's own code add it outside, where the same eps is a far "
                "smaller floor"),
    temporaries_latex={"m_hat": r"\hat{m}", "v_hat": r"\hat{v}"},
)

_VMAX = state("vmax", r"v_{max}", "running maximum of v (AMSGrad's max_exp_avg_sq)",
               nonnegative=True)
_GRAD = temporary("grad")


def torch_adam(family: str, decoupled: sp.Basic, source, title: str, summary: str,
               difference: str | None) -> Rule:
    """torch's ``_single_tensor_adam``; ``decoupled`` is the flag symbol (Adam) or
    ``sp.true`` (AdamW, which is Adam with ``decoupled_weight_decay=True``)."""
    m, v, vmax = _M.symbol, _V.symbol, _VMAX.symbol
    hypers = [lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), weight_decay(0.0),
              flag(AMSGRAD, "divide by the running maximum of v (Reddi et al. 2018)"),
              flag(MAXIMIZE, "ascend: the gradient's sign flipped first")]
    if decoupled is DECOUPLED:
        hypers.append(flag(DECOUPLED, "W *= 1 - lr weight_decay instead of L2 (AdamW)"))
    return Rule(
        family=family,
        variant="torch",
        title=title,
        hypers=with_defaults(hypers, source),
        states=(_M, _V, _VMAX),
        assignments=(
            (_GRAD, l2(maximize_sign(G), when=sp.Not(decoupled))),
            (m, moving_average(m, _GRAD, BETA1)),
            (v, moving_average(v, _GRAD**2, BETA2)),
            (vmax, sp.Piecewise((sp.Max(vmax, v), AMSGRAD), (vmax, True))),
            (_M_HAT, m / bias_correction(BETA1, T)),
            (_V_HAT, sp.Piecewise((vmax, AMSGRAD), (v, True)) / bias_correction(BETA2, T)),
            (W, descend(decoupled_decay(W, when=decoupled), LR,
                        _M_HAT / root_denominator(_V_HAT, EPS, eps_inside=False))),
        ),
        sources=(source,),
        summary=summary,
        difference=difference,
        temporaries_latex={"grad": r"\tilde{g}", "m_hat": r"\hat{m}", "v_hat": r"\hat{v}"},
        api="torch",
    )


_TORCH_213 = torch_source("adam.py", "Adam", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0,
    "amsgrad": 0.0, "maximize": 0.0, "decoupled_weight_decay": 0.0})

TORCH = torch_adam(
    "adam", DECOUPLED, _TORCH_213,
    "torch.optim.Adam (weight decay, AMSGrad, maximize, decoupled weight decay)",
    "grad = (-g if maximize else g) + weight_decay W (L2);  m, v moving averages of grad;  "
    "amsgrad: vmax <- max(vmax, v);  "
    "W <- W (1 - lr weight_decay if decoupled) - lr m_hat / (sqrt(v_hat or vmax_hat) + eps)",
    "torch.optim.Adam with its switches: Algorithm 1 on the gradient with its sign flipped "
    "under maximize, plus L2 weight decay in the gradient (or decoupled, W *= 1 - lr wd, "
    "with decoupled_weight_decay), AMSGrad's running maximum of the raw v")

OPTAX_NESTEROV_DOC = ("Nesterov's momentum: m_hat = beta1 m / (1 - beta1^(t+1)) + "
                 "(1 - beta1) g / (1 - beta1^t)")


def optax_m_hat(m: sp.Symbol, nesterov: sp.Basic) -> sp.Expr:
    """optax's corrected first moment; under ``nesterov`` (``scale_by_adam`` and
    ``scale_by_radam``) the moving average of ``m / (1 - beta1^(t+1))`` and
    ``g / (1 - beta1^t)``."""
    return sp.Piecewise(
        (moving_average(m / bias_correction(BETA1, T + 1), G / bias_correction(BETA1, T), BETA1),
         nesterov), (m / bias_correction(BETA1, T), True))


def optax_adam(family: str, variant: str, nesterov: sp.Basic, decayed: bool, source,
               title: str, summary: str, difference: str) -> Rule:
    """optax's ``scale_by_adam`` then ``scale_by_learning_rate``; ``nesterov`` is the flag
    symbol (adam, adamw) or ``sp.true`` (nadam, which is adam with ``nesterov=True``);
    ``decayed``: ``add_decayed_weights`` between the two (adamw), ``+ weight_decay W`` on
    the Adam direction."""
    m, v = _M.symbol, _V.symbol
    hypers = [lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), eps_root(0.0)]
    if decayed:
        hypers.append(weight_decay(1e-4))
    if nesterov is NESTEROV:
        hypers.append(flag(NESTEROV, OPTAX_NESTEROV_DOC))
    m_hat = optax_m_hat(m, nesterov)
    direction = _M_HAT / root_denominator(_V_HAT + EPS_ROOT, EPS, eps_inside=False)
    return Rule(
        family=family,
        variant=variant,
        title=title,
        hypers=with_defaults(hypers, source),
        states=(_M, _V),
        assignments=_MOMENTS + (
            (_M_HAT, m_hat),
            (_V_HAT, v / bias_correction(BETA2, T)),
            (W, descend(W, LR, l2(direction) if decayed else direction)),
        ),
        sources=(source,),
        summary=summary,
        difference=difference,
        temporaries_latex={"m_hat": r"\hat{m}", "v_hat": r"\hat{v}"},
        api="optax",
    )


_OPTAX_ADAM = optax_source("adam", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_root": 0.0,
                                    "nesterov": 0.0},
                           "scale_by_adam, scale_by_learning_rate", "learning_rate required")

OPTAX_ADAM = optax_adam(
    "adam", "optax", NESTEROV, False, _OPTAX_ADAM, "optax.adam (eps_root, nesterov)",
    "m, v moving averages;  m_hat = m / (1 - beta1^t), or beta1 m / (1 - beta1^(t+1)) + "
    "(1 - beta1) g / (1 - beta1^t) with nesterov;  W <- W - lr m_hat / (sqrt(v_hat + eps_root) "
    "+ eps)",
    "optax.adam: Algorithm 1 with eps_root added inside the root and eps outside, and "
    "optax's Nesterov correction of m_hat when nesterov=True")

_OPTAX_AMSGRAD = optax_source("amsgrad", {
    "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "eps_root": 0.0, "bias_correction_mu": 1.0,
    "bias_correction_nu": 1.0}, "scale_by_amsgrad, scale_by_learning_rate",
    "learning_rate required")
_NU = temporary("nu_eff", nonnegative=True)

OPTAX_AMSGRAD = Rule(
    family="adam",
    variant="optax_amsgrad",
    title="optax.amsgrad (maximum of the bias-corrected second moment)",
    hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), eps_root(0.0),
                          flag(BIAS_CORRECTION_MU, "m divided by 1 - beta1^t", 1.0),
                          flag(BIAS_CORRECTION_NU, "v divided by 1 - beta2^t before the "
                               "maximum", 1.0)], _OPTAX_AMSGRAD),
    states=(_M, _V, _VMAX),
    assignments=_MOMENTS + (
        (_M_HAT, sp.Piecewise((_M.symbol / bias_correction(BETA1, T), BIAS_CORRECTION_MU),
                              (_M.symbol, True))),
        (_NU, sp.Piecewise((_V.symbol / bias_correction(BETA2, T), BIAS_CORRECTION_NU),
                           (_V.symbol, True))),
        (_VMAX.symbol, sp.Max(_VMAX.symbol, _NU)),
        (W, descend(W, LR, _M_HAT / root_denominator(_VMAX.symbol + EPS_ROOT, EPS,
                                                     eps_inside=False))),
    ),
    sources=(_OPTAX_AMSGRAD,),
    summary=("m, v moving averages;  vmax <- max(vmax, v / (1 - beta2^t));  "
             "W <- W - lr m_hat / (sqrt(vmax + eps_root) + eps)"),
    difference=("optax.amsgrad: the running maximum of the bias-corrected v (torch takes it "
                "of the raw v and corrects after), eps_root inside the root"),
    temporaries_latex={"m_hat": r"\hat{m}", "nu_eff": r"\hat{v}"},
    api="optax",
)


def keras_adam(family: str, source, title: str, summary: str, difference: str) -> Rule:
    """Keras' ``Adam.update_step`` (AdamW is Adam with a weight_decay default): the
    epsilon-hat form, AMSGrad of the raw v, decoupled weight decay applied first."""
    m, v, vmax = _M.symbol, _V.symbol, _VMAX.symbol
    return Rule(
        family=family,
        variant="keras",
        title=title,
        hypers=with_defaults([lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-7),
                              flag(AMSGRAD, "divide by the running maximum of the raw v"),
                              weight_decay(0.0)], source),
        states=(_M, _V, _VMAX),
        assignments=_MOMENTS + (
            (vmax, sp.Piecewise((sp.Max(vmax, v), AMSGRAD), (vmax, True))),
            (_LR_T, LR * sp.sqrt(bias_correction(BETA2, T)) / bias_correction(BETA1, T)),
            (W, descend(decoupled_decay(W), _LR_T,
                        m / root_denominator(sp.Piecewise((vmax, AMSGRAD), (v, True)), EPS,
                                             eps_inside=False))),
        ),
        sources=(source,),
        summary=summary,
        difference=difference,
        temporaries_latex={"lr_t": r"\eta_t"},
        api="keras",
    )


_KERAS_ADAM = keras_source("adam.py", "Adam", {
    "lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "amsgrad": 0.0, "weight_decay": 0.0},
    "weight_decay=None is 0")

KERAS_ADAM = keras_adam(
    "adam", _KERAS_ADAM, "keras.optimizers.Adam (amsgrad, decoupled weight decay)",
    "W <- W - lr wd W;  m, v moving averages;  amsgrad: vmax <- max(vmax, v);  "
    "lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t);  W <- W - lr_t m / (sqrt(v or vmax) + eps)",
    "keras.optimizers.Adam: the epsilon-hat form (eps added to sqrt of the uncorrected v), "
    "AMSGrad's maximum of the raw v, decoupled weight decay W - W wd lr applied first")

FAMILY = Family("adam", "Adam", __doc__, (ALGORITHM1, EPS_HAT, EPS_INSIDE, TORCH, OPTAX_ADAM,
                                          OPTAX_AMSGRAD, KERAS_ADAM), "Adam")
