"""Errors raised for a user's mistakes: each names the argument, the value, the rule and the fix."""

__all__ = ["SpecError", "InvalidHyperparameter", "UnknownRule"]


class SpecError(ValueError):
    """Base class of the errors the spec raises for bad input."""


class InvalidHyperparameter(SpecError):
    """A hyperparameter outside its domain, not a number, or not taken by the rule."""


class UnknownRule(SpecError, LookupError):
    """A rule or variant name the spec does not know."""
