"""The families, looked up by name."""

from __future__ import annotations

from . import (adadelta, adagrad, adam, adamax, adamw, lion, momentum, nadam, nesterov, radam,
               rmsprop, sgd)
from ._rule import Family, Rule
from .errors import UnknownRule

FAMILIES: dict[str, Family] = {
    m.FAMILY.name: m.FAMILY for m in (sgd, momentum, nesterov, adagrad, rmsprop, adam,
                                      adamw, adadelta, adamax, nadam, radam, lion)
}


def families() -> list[Family]:
    """Every family: the book's six in its order, then the rest of torch.optim."""
    return list(FAMILIES.values())


def family(name: str) -> Family:
    try:
        return FAMILIES[name.lower()]
    except (KeyError, AttributeError):
        raise UnknownRule(
            f"unknown rule {name!r}; choose one of {', '.join(FAMILIES)}"
        ) from None


def get(name: str, variant: str | None = None) -> Rule:
    """The rule ``name`` (``"adam"``), its canonical variant unless ``variant`` is given.

    ``name`` may also be qualified, ``"adam/eps_hat"``.
    """
    if isinstance(name, str) and "/" in name:
        if variant is not None:
            raise UnknownRule(f"rule {name!r} already names a variant; drop variant={variant!r}")
        name, variant = name.split("/", 1)
    return family(name).rule(variant)


def all_rules() -> list[Rule]:
    return [r for f in FAMILIES.values() for r in f.variants]
