"""Shared pieces that every family's rules are built from.

Variants are named differences between compositions of these fragments, in the
manner of optax's chains: a moving average, a bias correction, a denominator
with epsilon outside or inside the root, a gradient-descent move.  No family
module writes one of these formulas itself.
"""

from __future__ import annotations

import sympy as sp

from ._rule import NONNEGATIVE, UNIT, Hyper, Source, State

# -- symbols ------------------------------------------------------------------
LR = sp.Symbol("lr", nonnegative=True)
EPS = sp.Symbol("eps", nonnegative=True)
MOMENTUM = sp.Symbol("momentum", nonnegative=True)
DECAY = sp.Symbol("decay_rate", nonnegative=True)
BETA1 = sp.Symbol("beta1", nonnegative=True)
BETA2 = sp.Symbol("beta2", nonnegative=True)


# -- hyperparameters ----------------------------------------------------------
def lr(default: float, *aliases: str) -> Hyper:
    """``aliases``: names this family also uses for it (Adam's paper calls it alpha)."""
    return Hyper("lr", LR, default, NONNEGATIVE, (1e-4, 1.0), r"\eta",
                 "a non-negative learning rate",
                 ("learning_rate", "eta", "step_size", "stepsize", *aliases))


def eps(default: float) -> Hyper:
    return Hyper("eps", EPS, default, NONNEGATIVE, (1e-10, 1e-4), r"\epsilon",
                 "a small non-negative epsilon", ("epsilon", "e"))


def momentum(default: float) -> Hyper:
    return Hyper("momentum", MOMENTUM, default, UNIT, (0.5, 0.99), r"\mu",
                 "a momentum coefficient", ("mu", "alpha", "beta"))


def decay_rate(default: float) -> Hyper:
    return Hyper("decay_rate", DECAY, default, UNIT, (0.5, 0.999), r"\rho",
                 "a decay rate", ("rho", "alpha", "decay", "gamma", "beta"))


def beta1(default: float) -> Hyper:
    return Hyper("beta1", BETA1, default, UNIT, (0.5, 0.99), r"\beta_1",
                 "a first-moment decay rate", ("b1", "beta_1"))


def beta2(default: float) -> Hyper:
    return Hyper("beta2", BETA2, default, UNIT, (0.9, 0.9999), r"\beta_2",
                 "a second-moment decay rate", ("b2", "beta_2"))


def with_defaults(hypers: list[Hyper], source: Source) -> tuple[Hyper, ...]:
    """The hyperparameters with their defaults taken from ``source``."""
    return tuple(h.with_default(source.defaults.get(h.name, h.default)) for h in hypers)


# -- state ----------------------------------------------------------------------
def state(name: str, latex: str, doc: str, init: sp.Expr = sp.Integer(0),
          nonnegative: bool = False) -> State:
    sym = sp.Symbol(name, nonnegative=True) if nonnegative else sp.Symbol(name, real=True)
    return State(name, sym, sp.sympify(init), latex, doc)


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


# -- sources --------------------------------------------------------------------
BOOK = "Deep Learning from Scratch (Saito, O'Reilly Japan 2016), common/optimizer.py"
PYTORCH = "PyTorch 2.x torch.optim"
CS231N = "CS231n (Stanford, 2016-2024) assignment 2, cs231n/optim.py"
TF1 = "TensorFlow 1.15 tf.train"
KERAS = "tf.keras 2.x (TF 2.0-2.10 optimizer_v2)"
OPTAX = "optax 0.1-0.2"
