"""The rules as data: names, variants, defaults, domains, errors, printing."""

import math
import subprocess
import sys

import pytest
import sympy as sp

import spec
from spec import InvalidHyperparameter, UnknownRule
from spec._rule import G, W

REQUIRED = {
    "sgd": {"plain", "torch"},
    "momentum": {"book", "pytorch"},
    "nesterov": {"bengio", "pytorch"},
    "adagrad": {"eps_outside", "eps_inside", "torch"},
    "rmsprop": {"eps_outside", "eps_inside", "torch"},
    "adam": {"algorithm1", "eps_hat", "torch"},
    "adamw": {"torch"},
    "adadelta": {"torch"},
    "adamax": {"torch"},
    "nadam": {"torch"},
    "radam": {"torch"},
}

#: torch.optim's class for each family, and the keywords the spec does not model
#: (execution switches: they change how, not what, torch computes)
TORCH_CLASSES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop",
                 "adagrad": "Adagrad", "adadelta": "Adadelta", "adamax": "Adamax",
                 "nadam": "NAdam", "radam": "RAdam"}
EXECUTION_ONLY = {"params", "foreach", "capturable", "differentiable", "fused"}


def test_public_api_is_pinned():
    assert sorted(spec.__all__) == sorted([
        "Domain", "Family", "Hyper", "InvalidHyperparameter", "Oracle", "Rule", "Source",
        "SpecError", "State", "Trajectory", "UnknownRule", "all_rules", "families", "family",
        "get",
    ])


def test_every_required_rule_and_variant_exists():
    names = {f.name: set(f.variant_names()) for f in spec.families()}
    for fam, variants in REQUIRED.items():
        assert variants <= names[fam], fam


@pytest.mark.parametrize("rule", spec.all_rules(), ids=lambda r: r.name)
def test_rule_is_well_formed(rule):
    # every default lies in its domain and every source's defaults do too
    rule.resolve({})
    for source in rule.sources:
        rule.resolve(dict(source.defaults))
        assert set(source.hard_coded) <= set(source.defaults)
    for h in rule.hypers:
        lo, hi = h.typical
        if h.flag:  # drawn explicitly; whatever draws from typical gets the default
            assert h.typical == (h.default, h.default) and str(h.domain) == "{0, 1}"
            assert h.default == 0.0 or rule.api in ("optax", "keras"), rule.name
            continue
        assert lo in h.domain and hi in h.domain and lo < hi
    # each output depends only on the step's inputs
    allowed = set(rule.inputs)
    for out, expr in rule.composed.items():
        assert expr.free_symbols <= allowed, (out, expr.free_symbols - allowed)
    # the parameter moves, and the gradient is used
    assert G in rule.composed[W].free_symbols
    # non-canonical variants say how they differ
    fam = spec.family(rule.family)
    assert (rule is fam.canonical) == (rule.difference is None)


def test_defaults_as_the_sources_use_them():
    book_adam = spec.get("adam", "eps_hat")
    assert book_adam.defaults["eps"] == 1e-7
    assert "eps" in book_adam.sources[0].hard_coded
    assert spec.get("adam", "algorithm1").defaults == {
        "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    rms = spec.family("rmsprop")
    decays = {s.name: s.defaults["decay_rate"] for r in rms.variants for s in r.sources}
    assert decays == {"book": 0.99, "pytorch": 0.99, "tf1": 0.9, "keras": 0.9, "paper": 0.9,
                      "torch": 0.99, "optax": 0.9}
    assert spec.get("adagrad").defaults["eps"] == 1e-7


def test_variants_share_their_fragments_and_differ_only_where_named():
    alg1, hat = spec.get("adam", "algorithm1"), spec.get("adam", "eps_hat")
    assert alg1.assignments[:2] == hat.assignments[:2]  # the same moments
    for fam in ("adagrad", "rmsprop"):
        out, ins = spec.get(fam, "eps_outside"), spec.get(fam, "eps_inside")
        assert out.assignments[0] == ins.assignments[0]  # the same state update
        assert out.composed[W] != ins.composed[W]
    mom, torch = spec.get("momentum", "book"), spec.get("momentum", "pytorch")
    assert [h.name for h in mom.hypers] == [h.name for h in torch.hypers]


def test_step_counter_is_advanced_before_use():
    # Adam's bias correction at t = 1 divides by 1 - beta1 exactly
    rule = spec.get("adam")
    expr = rule.composed[W].subs({sp.Symbol("t", integer=True, positive=True): 1})
    assert expr.free_symbols.isdisjoint({sp.Symbol("t", integer=True, positive=True)})


@pytest.mark.parametrize(
    "rule, values, words",
    [
        ("sgd", {"lr": -0.1}, ["sgd/plain", "lr = -0.1", "[0, inf)", "0.01"]),
        ("adam", {"beta1": 1.5}, ["adam/algorithm1", "beta1 = 1.5", "[0, 1)", "0.9"]),
        ("adam", {"beta2": 1.0}, ["beta2 = 1.0", "[0, 1)"]),
        ("rmsprop", {"eps": -1e-8}, ["rmsprop/eps_outside", "eps = -1e-08", "[0, inf)"]),
        ("momentum", {"momentum": float("nan")}, ["momentum = nan"]),
        ("adagrad", {"lr": "fast"}, ["lr = 'fast'", "not a number"]),
        ("sgd", {"momentum": 0.9}, ["unknown hyperparameter", "momentum", "takes lr"]),
    ],
)
def test_invalid_hyperparameters_name_argument_value_rule_and_fix(rule, values, words):
    with pytest.raises(InvalidHyperparameter) as info:
        spec.get(rule).resolve(values)
    message = str(info.value)
    assert "\n" not in message
    for w in words:
        assert w in message


def test_unknown_rule_and_variant():
    with pytest.raises(UnknownRule, match="unknown rule 'adabelief'.*adam"):
        spec.get("adabelief")
    with pytest.raises(UnknownRule, match="adam has no variant 'tf'.*algorithm1, eps_hat"):
        spec.get("adam", "tf")
    assert spec.get("Adam/eps_hat") is spec.get("adam", "eps_hat")
    assert isinstance(UnknownRule("x"), ValueError)


def test_equations_print_as_text_and_latex():
    rule = spec.get("adam", "eps_hat")
    text = rule.equations_text()
    assert text[-1].startswith("W <- ")
    latex = rule.equations_latex()
    assert any(r"\eta_t" in line for line in latex)
    assert any(r"\beta_{2}" in line or r"\beta_2" in line for line in latex)


def test_python_m_spec_lists_everything_and_proofs():
    out = subprocess.run([sys.executable, "-m", "spec"], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    for fam, variants in REQUIRED.items():
        assert f"{fam}:" in out.stdout
        for v in variants:
            assert v in out.stdout
    assert "PROOF FAILED" not in out.stdout
    assert out.stdout.count("[proven]") >= 6
    assert "\\leftarrow" in out.stdout


def test_python_m_spec_unknown_rule_is_one_line_exit_2():
    out = subprocess.run([sys.executable, "-m", "spec", "adabelief"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0 and "adabelief" in out.stderr


def test_the_committed_catalog_page_is_current():
    from pathlib import Path
    from spec._markdown import catalog_markdown
    page = Path(__file__).resolve().parents[1] / "docs" / "catalog.md"
    assert page.read_text() == catalog_markdown(), (
        "docs/catalog.md is stale: run python -m spec --markdown > docs/catalog.md")


def test_the_committed_frameworks_page_is_current():
    from pathlib import Path
    from spec._frameworks import frameworks_markdown
    page = Path(__file__).resolve().parents[1] / "docs" / "frameworks.md"
    assert page.read_text() == frameworks_markdown(), (
        "docs/frameworks.md is stale: run python -m spec --frameworks > docs/frameworks.md")


def test_every_framework_claim_in_the_catalog_says_executed_or_cited():
    from spec._frameworks import evidence
    for rule in spec.all_rules():
        for source in rule.sources:
            said = evidence(rule, source)
            assert said.startswith(("executed", "cited")), (rule.name, source.name)
            if source.name in ("optax", "keras", "torch") and rule.api == source.name:
                assert said.startswith("executed"), rule.name
    # the book-API claims "as optax" that a sweep now backs, through a proven identity
    adam_optax = next(s for s in spec.get("adam/algorithm1").sources if s.name == "optax")
    assert "optax-adam-algorithm1" in evidence(spec.get("adam/algorithm1"), adam_optax)
    tf_keras = next(s for s in spec.get("adagrad/keras").sources if s.name == "keras")
    assert evidence(spec.get("adagrad/keras"), tf_keras).startswith("cited (tf.keras 2)")


# -- torch.optim: api, flags, constraints, defaults ---------------------------------------
#: the variants of each framework API, by variant name (Keras 3's Adagrad is keras3: the
#: name keras is the tf.keras 2 form of the book's API)
FRAMEWORK_VARIANTS = {"torch": "torch", "optax": "optax", "optax_amsgrad": "optax",
                      "keras": "keras", "keras3": "keras"}


def test_api_marks_exactly_the_framework_variants():
    for rule in spec.all_rules():
        expected = FRAMEWORK_VARIANTS.get(rule.variant)
        if rule.name == "adagrad/keras":
            expected = None
        assert rule.api == expected, rule.name
    # every family with a torch.optim class has its torch variant
    assert {f.name for f in spec.families() if "torch" in f.variant_names()} == set(TORCH_CLASSES)
    # the book's variants are untouched: no flags, no constraints
    for rule in spec.all_rules():
        if rule.api is None:
            assert not rule.flags and not rule.constraints, rule.name


def test_flags_are_booleans_named_by_their_frameworks_keywords():
    flags = {r.name: [h.name for h in r.flags] for r in spec.all_rules() if r.flags}
    assert flags == {
        "sgd/torch": ["nesterov", "maximize"],
        "adagrad/torch": ["maximize"],
        "rmsprop/torch": ["centered", "maximize"],
        "adam/torch": ["amsgrad", "maximize", "decoupled_weight_decay"],
        "adamw/torch": ["amsgrad", "maximize"],
        "adadelta/torch": ["maximize"],
        "adamax/torch": ["maximize"],
        "nadam/torch": ["decoupled_weight_decay", "maximize"],
        "radam/torch": ["decoupled_weight_decay", "maximize"],
        "sgd/optax": ["nesterov"],
        "sgd/keras": ["nesterov"],
        "adam/optax": ["nesterov"],
        "adam/optax_amsgrad": ["bias_correction_mu", "bias_correction_nu"],
        "adam/keras": ["amsgrad"],
        "adamw/optax": ["nesterov"],
        "adamw/keras": ["amsgrad"],
        "rmsprop/optax": ["eps_in_sqrt", "centered", "nesterov", "bias_correction"],
        "rmsprop/keras": ["centered"],
        "radam/optax": ["nesterov"],
    }
    rule = spec.get("adam", "torch")
    assert rule.hyper("amsgrad").flag and not rule.hyper("lr").flag
    assert not rule.hyper("amsgrad").domain.is_rate  # a flag is no decay rate
    assert rule.resolve({"amsgrad": True, "maximize": False})["amsgrad"] == 1.0
    assert rule.resolve({"amsgrad": 1})["amsgrad"] == 1.0
    with pytest.raises(InvalidHyperparameter, match=r"amsgrad = 0.5 is outside \{0, 1\}"):
        rule.resolve({"amsgrad": 0.5})
    with pytest.raises(InvalidHyperparameter, match="True or False"):
        rule.resolve({"amsgrad": "yes"})


@pytest.mark.parametrize("values, admitted", [
    ({}, True),
    ({"nesterov": True}, False),  # momentum 0 by default
    ({"nesterov": True, "momentum": 0.9}, True),
    ({"nesterov": 1, "momentum": 0.9, "dampening": 0.1}, False),
    ({"nesterov": False, "momentum": 0.0, "dampening": 0.5}, True),
    ({"momentum": -0.1}, False),  # outside the domain: resolve's reason
])
def test_admits_says_why_torch_rejects_a_combination(values, admitted):
    rule = spec.get("sgd", "torch")
    reason = rule.admits(values)
    assert (reason is None) == admitted, reason
    if not admitted:
        assert "\n" not in reason and reason.startswith("sgd/torch: ")
    if values.get("nesterov") and not admitted:
        assert "nesterov" in reason and "dampening" in reason
        with pytest.raises(InvalidHyperparameter, match="requires momentum > 0"):
            spec.Oracle(rule).run({"w": 1.0}, {"w": 1.0}, values, steps=1)


def test_every_rule_admits_its_defaults_and_its_sources_defaults():
    for rule in spec.all_rules():
        assert rule.admits() is None, rule.name
        for source in rule.sources:
            assert rule.admits(dict(source.defaults)) is None, (rule.name, source.name)


def test_torch_defaults_are_the_variants_defaults():
    for rule in spec.all_rules():
        if rule.api == "torch":
            (source,) = rule.sources
            assert "PyTorch 2.13.0 torch/optim/" in source.cite
            assert dict(source.defaults) == rule.defaults, rule.name


def _torch_keyword(rule, name):
    """The hyperparameter of ``rule`` that a torch keyword binds (by name or alias)."""
    for h in rule.hypers:
        if name == h.name or name in h.aliases:
            return h
    return None


@pytest.mark.parametrize("family", sorted(TORCH_CLASSES))
def test_defaults_equal_torch_signature(family):
    torch = pytest.importorskip("torch")
    import inspect
    cls = getattr(torch.optim, TORCH_CLASSES[family])
    rule = spec.get(family, "torch")
    signature = inspect.signature(cls.__init__).parameters
    seen = set()
    for name, p in signature.items():
        if name == "self" or name in EXECUTION_ONLY:
            continue
        if name == "betas":
            for h, value in zip((rule.hyper("beta1"), rule.hyper("beta2")), p.default):
                assert h.default == value, (family, h.name)
                seen.add(h.name)
            continue
        h = _torch_keyword(rule, name)
        assert h is not None, f"{family}: torch's {name!r} has no hyperparameter in the spec"
        assert h.default == float(p.default), (family, name, h.default, p.default)
        assert h.flag == isinstance(p.default, bool), (family, name)
        seen.add(h.name)
    # and nothing in the spec that torch does not take
    assert seen == {h.name for h in rule.hypers}, family


def test_a_mistake_whose_result_is_a_variant_is_not_offered():
    from spec.mistakes import mistakes_for

    def offered(rule, name):
        return [mr for m, mr, _ in mistakes_for(rule) if m.name == name]
    for fam, variant in [("adagrad", "eps_outside"), ("rmsprop", "eps_outside"),
                         ("adam", "algorithm1")]:
        assert not offered(spec.get(fam, variant), "eps-inside"), f"{fam}/{variant}"
    for fam, variant in [("adam", "torch"), ("rmsprop", "torch"), ("adagrad", "torch"),
                         ("adam", "eps_hat")]:
        (mistaken,) = offered(spec.get(fam, variant), "eps-inside")
        assert "sqrt(eps + " in " ".join(mistaken.equations_text()), mistaken


def test_bias_correction_mistakes_and_the_t_reset_of_a_functional_api():
    from spec.mistakes import mistakes_for
    alg1 = spec.get("adam", "algorithm1")
    made = {mr.variant.split("+")[1]: mr for m, mr, _ in mistakes_for(alg1)}
    v_hat = {str(t): str(e) for t, e in made["bias-correction-beta-v"].assignments}["v_hat"]
    m_hat = {str(t): str(e) for t, e in made["bias-correction-beta-m"].assignments}["m_hat"]
    assert (v_hat, m_hat) == ("v/(1 - beta1**t)", "m/(1 - beta2**t)")
    swapped = {str(t): str(e) for t, e in made["bias-corrections-swapped"].assignments}
    assert (swapped["m_hat"], swapped["v_hat"]) == ("m/(1 - beta2**t)", "v/(1 - beta1**t)")
    # t set to 0 (or 1) in the body, then advanced: the same t at every step
    drivers = {mr.variant.split("+")[1]: d for m, mr, d in mistakes_for(alg1)}
    assert [drivers["t-reset-every-call-to-0"].t(s, 0, 2) for s in (1, 2, 3)] == [1, 1, 1]
    assert [drivers["t-reset-every-call-to-1"].t(s, 1, 2) for s in (1, 2, 3)] == [2, 2, 2]
    # where t lives in config (CS231n), a t stuck at 1 reads as a reset, tried first
    order = [m.name for m, _, _ in mistakes_for(alg1, "cs231n")]
    assert order.index("t-reset-every-call") < order.index("t-never-advanced")
    order = [m.name for m, _, _ in mistakes_for(alg1)]
    assert order.index("t-never-advanced") < order.index("t-reset-every-call")
