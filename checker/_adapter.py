"""From a class and its constructor to a rule and hyperparameter names.

The rule is inferred from the class name; the spec's hyperparameters are
matched to the constructor's arguments by name and by the usual aliases
(``lr`` / ``learning_rate``, ``eps`` / ``epsilon``, ``rho`` / ``decay_rate``,
``betas = (beta1, beta2)``).  A hyperparameter the constructor does not take
is hard-coded in the class, and its value must be inferred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import spec
from spec import Rule

# most specific first: "NesterovMomentum" is Nesterov, "AdaGrad" is not Adam
_RULE_WORDS = (
    ("adadelta", "adadelta"),
    ("adamax", "adamax"),
    ("adamw", "adamw"),
    ("nadam", "nadam"),
    ("radam", "radam"),
    ("nesterov", "nesterov"),
    ("adagrad", "adagrad"),
    ("amsgrad", "adam"),  # optax.amsgrad: Adam's family, its variant adam/optax_amsgrad
    ("rmsprop", "rmsprop"),
    ("adam", "adam"),
    ("momentum", "momentum"),
    ("sgd", "sgd"),
    ("lion", "lion"),  # optax.lion, keras.optimizers.Lion; never inside a word ("Million")
)


def infer_rule(class_name: str) -> str | None:
    """``"RMSProp"`` -> ``"rmsprop"``; None when the name says nothing.

    A rule's word must begin a word of the name (its start, an uppercase letter, or after
    a character that is not a letter): ``OurAdam`` and ``HumanAdam`` end in "radam" and
    "nadam" but are Adams; ``MyRAdam`` and ``my_nadam`` are not.  ``adamw`` must also end
    one (``AdamWrapper`` is an Adam)."""
    letters = [(i, ch) for i, ch in enumerate(class_name) if ch.isalpha()]
    word = "".join(ch for _, ch in letters).lower()
    for needle, rule in _RULE_WORDS:
        start = word.find(needle)
        while start >= 0:
            at = letters[start][0]
            begins = (start == 0 or class_name[at].isupper()
                      or not class_name[at - 1].isalpha())
            end = start + len(needle)
            after = letters[end][0] if end < len(letters) else None
            ends = (needle != "adamw" or after is None or after != letters[end - 1][0] + 1
                    or not class_name[after].islower())
            if begins and ends:
                return rule
            start = word.find(needle, start + 1)
    # all lowercase, run together ("myadamopt"): a plain search, but never a prefix-letter
    # rule (nadam, radam) or adamw, which the letters before or after may only seem to spell
    for needle, rule in _RULE_WORDS:
        if needle not in ("nadam", "radam", "adamw", "lion") and needle in word:
            return rule
    return None


@dataclass(frozen=True)
class Binding:
    """How one spec hyperparameter reaches the constructor."""

    hyper: str  # spec name, e.g. "beta2"
    param: str | None  # constructor argument, e.g. "betas"; None: hard-coded
    index: int | None = None  # position inside a tuple argument (betas)
    default: Any = None  # the constructor's default, when it has one


@dataclass
class Adapter:
    """The bindings of a rule's hyperparameters to a constructor."""

    rule_family: str
    bindings: dict[str, Binding]
    flags: frozenset = frozenset()  # hyperparameters passed as booleans
    api: str = "book"  # how the target is called: book, booklist, cs231n or torch
    extra_params: list[str] = field(default_factory=list)  # taken but not in the spec
    # values fixed by the rule asked for, neither drawn nor inferred (`TorchForm`)
    pinned: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> list[str]:
        """The hyperparameters the constructor takes and a property may draw."""
        return [h for h, b in self.bindings.items() if b.param is not None and h not in self.pinned]

    @property
    def hard_coded(self) -> list[str]:
        return [h for h, b in self.bindings.items() if b.param is None and h not in self.pinned]

    def kwargs(self, values: dict[str, float]) -> dict[str, Any]:
        """Constructor keyword arguments that set ``values`` (spec names)."""
        out: dict[str, Any] = {}
        tuples: dict[str, dict[int, float]] = {}
        for name, value in values.items():
            b = self.bindings.get(name)
            if b is None or b.param is None:
                continue
            if b.index is None:
                out[b.param] = bool(value) if name in self.flags else float(value)
            else:
                tuples.setdefault(b.param, {})[b.index] = float(value)
        for param, parts in tuples.items():
            default = next((self.bindings[h].default for h in self.bindings
                            if self.bindings[h].param == param), None)
            current = list(default) if isinstance(default, (tuple, list)) else []
            size = max(len(current), max(parts) + 1)
            current += [None] * (size - len(current))
            for i, v in parts.items():
                current[i] = v
            out[param] = tuple(current)
        return out

    def constructor_defaults(self) -> dict[str, float | None]:
        """The constructor's own default for each passed hyperparameter (spec names)."""
        out = {}
        for name, b in self.bindings.items():
            if b.param is None:
                continue
            d = b.default
            if b.index is not None:
                d = d[b.index] if isinstance(d, (tuple, list)) and len(d) > b.index else None
            out[name] = d if isinstance(d, (int, float)) and not isinstance(d, bool) else None
        return out


def bind(rule: Rule, params: list[dict]) -> Adapter:
    """Match ``rule``'s hyperparameters to constructor ``params``.

    ``params`` are the constructor's arguments after ``self``, as the worker
    reports them: dicts with ``name``, ``kind`` and ``default`` (``None`` when
    there is none).
    """
    by_name = {p["name"].lower(): p for p in params
               if p.get("kind") not in ("VAR_POSITIONAL", "VAR_KEYWORD")}
    used: set[str] = set()
    bindings: dict[str, Binding] = {}
    for h in rule.hypers:
        found = None
        for candidate in (h.name, *h.aliases):
            p = by_name.get(candidate.lower())
            if p is not None and p["name"] not in used:
                found = Binding(h.name, p["name"], None, p.get("default"))
                break
        if found is None and h.name in ("beta1", "beta2") and "betas" in by_name:
            p = by_name["betas"]
            found = Binding(h.name, p["name"], 0 if h.name == "beta1" else 1, p.get("default"))
        if found is None:
            found = Binding(h.name, None)
        else:
            used.add(found.param)
        bindings[h.name] = found
    extra = [p["name"] for p in params if p["name"] not in used
             and p.get("kind") not in ("VAR_POSITIONAL", "VAR_KEYWORD")]
    return Adapter(rule.family, bindings, extra_params=extra,
                   flags=frozenset(h.name for h in rule.flags))


@dataclass(frozen=True)
class TorchForm:
    """A family torch has no optimizer of its own for, because one of torch's switches is it:
    ``torch.optim.SGD`` with ``momentum > 0`` is PyTorch's momentum, with ``nesterov=True``
    its Nesterov (proven equal after the first step in `spec.relations`).  Such a target is
    judged as ``family``'s torch variant with ``pinned`` values (passed, never drawn) and
    each of ``positive`` kept above 0 (its value where the constructor's default is 0)."""

    family: str
    pinned: dict
    positive: dict
    note: str


TORCH_FORMS = {
    "momentum": TorchForm(
        "sgd", {"nesterov": 0.0}, {"momentum": 0.9},
        "--rule momentum on a torch optimizer: torch.optim.SGD with momentum > 0 is PyTorch's "
        "momentum, so it is judged as sgd/torch with momentum above 0 (0.9 where the default "
        "is 0; drawn from [0.5, 0.99]) and nesterov=False"),
    "nesterov": TorchForm(
        "sgd", {"nesterov": 1.0, "dampening": 0.0}, {"momentum": 0.9},
        "--rule nesterov on a torch optimizer: torch.optim.SGD with nesterov=True is PyTorch's "
        "Nesterov momentum, so it is judged as sgd/torch with nesterov=True, dampening=0 and "
        "momentum above 0 (0.9 where the default is 0; drawn from [0.5, 0.99])"),
}


def lr_attribute(adapter: Adapter) -> str | None:
    """The attribute a user would set to change the learning rate between steps."""
    b = adapter.bindings.get("lr")
    return b.param if b is not None and b.param is not None else None


def family_rules(family: str) -> list[Rule]:
    return list(spec.family(family).variants)
