"""Shared pieces that every family's rules are built from.

Variants are named differences between compositions of these fragments, in the
manner of optax's chains: a moving average, a bias correction, a denominator
with epsilon outside or inside the root, a gradient-descent move.  No family
module writes one of these formulas itself.
"""

from __future__ import annotations

import sympy as sp

from ._rule import CLOSED_UNIT, FLAG, NONNEGATIVE, UNIT, Domain, Hyper, Source, State, T
from ._rule import W as W_SYMBOL

# -- symbols ------------------------------------------------------------------
LR = sp.Symbol("lr", nonnegative=True)
EPS = sp.Symbol("eps", nonnegative=True)
MOMENTUM = sp.Symbol("momentum", nonnegative=True)
DECAY = sp.Symbol("decay_rate", nonnegative=True)
BETA1 = sp.Symbol("beta1", nonnegative=True)
BETA2 = sp.Symbol("beta2", nonnegative=True)
WEIGHT_DECAY = sp.Symbol("weight_decay", nonnegative=True)
DAMPENING = sp.Symbol("dampening", nonnegative=True)
LR_DECAY = sp.Symbol("lr_decay", nonnegative=True)
INITIAL_ACCUMULATOR = sp.Symbol("initial_accumulator_value", nonnegative=True)
MOMENTUM_DECAY = sp.Symbol("momentum_decay", nonnegative=True)
# flags: SymPy booleans, used only in conditions (values 0/1 become false/true)
NESTEROV = sp.Symbol("nesterov")
MAXIMIZE = sp.Symbol("maximize")
AMSGRAD = sp.Symbol("amsgrad")
CENTERED = sp.Symbol("centered")
DECOUPLED = sp.Symbol("decoupled_weight_decay")
# optax's and Keras' own keywords
EPS_ROOT = sp.Symbol("eps_root", nonnegative=True)
INITIAL_SCALE = sp.Symbol("initial_scale", nonnegative=True)
THRESHOLD = sp.Symbol("threshold", nonnegative=True)
EPS_IN_SQRT = sp.Symbol("eps_in_sqrt")
BIAS_CORRECTION = sp.Symbol("bias_correction")
BIAS_CORRECTION_MU = sp.Symbol("bias_correction_mu")
BIAS_CORRECTION_NU = sp.Symbol("bias_correction_nu")


# -- hyperparameters ----------------------------------------------------------
def lr(default: float, *aliases: str) -> Hyper:
    """``aliases``: names this family also uses for it (Adam's paper calls it alpha)."""
    return Hyper("lr", LR, default, NONNEGATIVE, (1e-4, 1.0), r"\eta",
                 "a non-negative learning rate",
                 ("learning_rate", "eta", "step_size", "stepsize", *aliases))


def eps(default: float) -> Hyper:
    return Hyper("eps", EPS, default, NONNEGATIVE, (1e-10, 1e-4), r"\epsilon",
                 "a small non-negative epsilon", ("epsilon", "e"))


def momentum(default: float, aliases: tuple[str, ...] = ("mu", "alpha", "beta")) -> Hyper:
    """``aliases``: torch's RMSprop takes ``alpha`` for its decay rate, so its
    momentum must not answer to ``alpha`` too."""
    return Hyper("momentum", MOMENTUM, default, UNIT, (0.5, 0.99), r"\mu",
                 "a momentum coefficient", aliases)


def decay_rate(default: float, domain: Domain = UNIT) -> Hyper:
    """``domain``: torch's Adadelta accepts rho = 1 (``[0, 1]``); the others ``[0, 1)``."""
    return Hyper("decay_rate", DECAY, default, domain, (0.5, 0.999), r"\rho",
                 "a decay rate", ("rho", "alpha", "decay", "gamma", "beta"))


def beta1(default: float) -> Hyper:
    return Hyper("beta1", BETA1, default, UNIT, (0.5, 0.99), r"\beta_1",
                 "a first-moment decay rate", ("b1", "beta_1"))


def beta2(default: float) -> Hyper:
    return Hyper("beta2", BETA2, default, UNIT, (0.9, 0.9999), r"\beta_2",
                 "a second-moment decay rate", ("b2", "beta_2"))


def weight_decay(default: float) -> Hyper:
    """An L2 or decoupled decay coefficient (torch's ``weight_decay``)."""
    return Hyper("weight_decay", WEIGHT_DECAY, default, NONNEGATIVE, (1e-4, 1e-1), r"\lambda",
                 "a non-negative weight decay", ("wd", "decay_coefficient"))


def dampening(default: float) -> Hyper:
    """torch's SGD dampening: the buffer adds ``(1 - dampening) g`` after the first step."""
    return Hyper("dampening", DAMPENING, default, CLOSED_UNIT, (0.1, 0.9), r"\tau",
                 "a dampening in [0, 1]")


def lr_decay(default: float) -> Hyper:
    """torch's Adagrad: ``clr = lr / (1 + (t - 1) lr_decay)``."""
    return Hyper("lr_decay", LR_DECAY, default, NONNEGATIVE, (1e-4, 1e-1), r"\eta_{decay}",
                 "a non-negative learning-rate decay")


def initial_accumulator_value(default: float) -> Hyper:
    """torch's Adagrad: the value the sum of squared gradients starts at."""
    return Hyper("initial_accumulator_value", INITIAL_ACCUMULATOR, default, NONNEGATIVE,
                 (1e-3, 1.0), r"h_0", "a non-negative initial accumulator",
                 ("initial_accumulator",))


def momentum_decay(default: float) -> Hyper:
    """torch's NAdam psi: ``mu_t = beta1 (1 - 0.5 * 0.96**(t psi))``."""
    return Hyper("momentum_decay", MOMENTUM_DECAY, default, NONNEGATIVE, (1e-3, 1e-2), r"\psi",
                 "a non-negative momentum decay", ("schedule_decay",))


def flag(symbol: sp.Symbol, doc: str, default: float = 0.0) -> Hyper:
    """A boolean switch named by its framework's keyword; off unless ``default`` is 1
    (optax's ``eps_in_sqrt`` and ``bias_correction_nu`` are on by default).  Its
    ``typical`` is the default, so whatever draws from ``typical`` leaves it as is."""
    return Hyper(symbol.name, symbol, default, FLAG, (default, default), r"\text{" +
                 symbol.name.replace("_", r"\_") + "}", f"a flag (True or False): {doc}")


def eps_root(default: float) -> Hyper:
    """optax's ``eps_root``: added to the corrected second moment *inside* the root."""
    return Hyper("eps_root", EPS_ROOT, default, NONNEGATIVE, (1e-10, 1e-4), r"\epsilon_{root}",
                 "a small non-negative epsilon added inside the root")


def initial_scale(default: float) -> Hyper:
    """optax's RMSProp ``initial_scale``: the value the average of squares starts at."""
    return Hyper("initial_scale", INITIAL_SCALE, default, NONNEGATIVE, (1e-3, 1.0), r"\nu_0",
                 "a non-negative initial value of the second moment")


def threshold(default: float) -> Hyper:
    """optax's RAdam ``threshold``: the rectified step is taken while ``rho_t >= threshold``."""
    return Hyper("threshold", THRESHOLD, default, NONNEGATIVE, (4.0, 6.0), r"\rho_{min}",
                 "a non-negative threshold on rho_t")


def with_defaults(hypers: list[Hyper], source: Source) -> tuple[Hyper, ...]:
    """The hyperparameters with their defaults taken from ``source``."""
    return tuple(h.with_default(source.defaults.get(h.name, h.default)) for h in hypers)


# -- state ----------------------------------------------------------------------
def state(name: str, latex: str, doc: str, init: sp.Expr = sp.Integer(0),
          nonnegative: bool = False, dtype: str | None = None) -> State:
    sym = sp.Symbol(name, nonnegative=True) if nonnegative else sp.Symbol(name, real=True)
    return State(name, sym, sp.sympify(init), latex, doc, dtype)


def velocity() -> State:
    """The book's velocity: in units of W, the learning rate already inside it."""
    return state("v", "v", "velocity, in units of W (lr inside)")


def momentum_buffer() -> State:
    """PyTorch's buffer: in units of g, the learning rate applied outside it."""
    return state("b", "b", "momentum buffer, in units of g (lr outside)")


def temporary(name: str, nonnegative: bool = False) -> sp.Symbol:
    return sp.Symbol(name, nonnegative=True) if nonnegative else sp.Symbol(name, real=True)


# -- update fragments -------------------------------------------------------------
def descend(w: sp.Expr, rate: sp.Expr, direction: sp.Expr) -> sp.Expr:
    """A gradient-descent move: ``w - rate * direction``."""
    return w - rate * direction


def moving_average(avg: sp.Expr, x: sp.Expr, decay: sp.Expr) -> sp.Expr:
    """Exponential moving average ``decay * avg + (1 - decay) * x``.

    The book writes it ``avg += (1 - decay) * (x - avg)``; the two are equal
    (proven in `spec.relations`).
    """
    return decay * avg + (1 - decay) * x


def accumulate(acc: sp.Expr, x: sp.Expr) -> sp.Expr:
    """A running sum ``acc + x`` (AdaGrad's accumulator)."""
    return acc + x


def heavy_ball(velocity: sp.Expr, coefficient: sp.Expr, push: sp.Expr) -> sp.Expr:
    """A velocity that keeps ``coefficient`` of itself and adds ``push``."""
    return coefficient * velocity + push


def bias_correction(decay: sp.Expr, t: sp.Expr) -> sp.Expr:
    """The factor ``1 - decay**t`` that Adam divides its moments by."""
    return 1 - decay**t


def root_denominator(second_moment: sp.Expr, epsilon: sp.Expr, eps_inside: bool) -> sp.Expr:
    """``sqrt(v) + eps`` (epsilon outside the root) or ``sqrt(v + eps)`` (inside).

    Outside: the book, PyTorch, optax, CS231n.  Inside: TensorFlow 1 and
    tf.keras RMSprop, and the formula (not the code) of some study notes.  The
    two are not equal for any eps > 0 (proven in `spec.relations`); inside the
    root epsilon acts like eps**2 outside it, so the same number is far larger.
    """
    if eps_inside:
        return sp.sqrt(second_moment + epsilon)
    return sp.sqrt(second_moment) + epsilon


# -- torch's gradient, decay and first step ------------------------------------------
def maximize_sign(g: sp.Expr, maximize: sp.Basic = MAXIMIZE) -> sp.Expr:
    """torch's ``grad = grad if not maximize else -grad``: the first thing every step does.

    ``maximize`` is a hyperparameter (ascend on purpose), not the mistake of
    gradient ascent.
    """
    return sp.Piecewise((-g, maximize), (g, True))


def l2(g: sp.Expr, w: sp.Expr = W_SYMBOL, coefficient: sp.Expr = WEIGHT_DECAY,
       when: sp.Basic = sp.true) -> sp.Expr:
    """Weight decay as L2 added to the gradient, ``g + weight_decay * W``.

    torch writes ``if weight_decay != 0: grad = grad.add(param, alpha=weight_decay)``;
    the branch is kept so that a zero coefficient costs no rounding in the bound.
    ``when`` is a further condition (not decoupled).
    """
    return g + sp.Piecewise((coefficient * w, sp.And(sp.Ne(coefficient, 0), when)), (0, True))


def decoupled_decay(w: sp.Expr, rate: sp.Expr = LR, coefficient: sp.Expr = WEIGHT_DECAY,
                    when: sp.Basic = sp.true) -> sp.Expr:
    """Decoupled weight decay (Loshchilov & Hutter), torch's ``param.mul_(1 - lr * weight_decay)``
    before the step; the parameter shrinks whatever the gradient.

    Written ``w - rate * coefficient * w`` (torch's documented form, the same
    number) so that the update ``W_new - W`` cancels W symbolically and the
    oracle computes a decay far smaller than W without subtracting W.
    """
    return sp.Piecewise((w - rate * coefficient * w, sp.And(sp.Ne(coefficient, 0), when)),
                        (w, True))


def first_step(first: sp.Expr, later: sp.Expr) -> sp.Expr:
    """``first`` at t = 1, ``later`` after (torch's SGD clones its buffer from the gradient)."""
    return sp.Piecewise((first, sp.Eq(T, 1)), (later, True))


# -- sources --------------------------------------------------------------------
BOOK = "Deep Learning from Scratch (Saito, O'Reilly Japan 2016), common/optimizer.py"
PYTORCH = "PyTorch 2.x torch.optim"
CS231N = "CS231n (Stanford, 2016-2024) assignment 2, cs231n/optim.py"
TF1 = "TensorFlow 1.15 tf.train"
KERAS = "tf.keras 2.x (TF 2.0-2.10 optimizer_v2)"
OPTAX = "optax 0.1-0.2"
TORCH = "PyTorch 2.13.0 torch/optim/"
#: the versions whose installed source the optax and Keras variants transcribe
OPTAX_VERSION = "0.2.8"
KERAS_VERSION = "3.15.1"


def torch_source(file: str, cls: str, defaults, note: str = "") -> Source:
    """A torch.optim class: the file and the function whose code the rule transcribes."""
    return Source("torch", f"{TORCH}{file}, {cls}.__init__ and _single_tensor_{file[:-3]}"
                  + (f" ({note})" if note else ""), defaults)


def optax_source(function: str, defaults, chain: str, note: str = "") -> Source:
    """An optax alias: ``optax/_src/alias.py``'s ``function`` and the blocks of its ``chain``
    (in ``optax/_src/transform.py`` unless said)."""
    return Source("optax", f"optax {OPTAX_VERSION} optax/_src/alias.py, {function}: chain of "
                  f"{chain}" + (f" ({note})" if note else ""), defaults)


def keras_source(file: str, cls: str, defaults, note: str = "") -> Source:
    """A Keras 3 optimizer on the JAX backend: its ``update_step``, with the decoupled
    ``weight_decay`` every Keras optimizer applies first (``base_optimizer.py``,
    ``_apply_weight_decay``)."""
    return Source("keras", f"Keras {KERAS_VERSION} keras/src/optimizers/{file}, {cls}.__init__ "
                  "and update_step; base_optimizer.py _apply_weight_decay"
                  + (f" ({note})" if note else ""), defaults)
