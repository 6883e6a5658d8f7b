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
    "sgd": {"plain"},
    "momentum": {"book", "pytorch"},
    "nesterov": {"bengio", "pytorch"},
    "adagrad": {"eps_outside", "eps_inside"},
    "rmsprop": {"eps_outside", "eps_inside"},
    "adam": {"algorithm1", "eps_hat"},
}


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
    assert decays == {"book": 0.99, "pytorch": 0.99, "tf1": 0.9, "keras": 0.9, "paper": 0.9}
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
    with pytest.raises(UnknownRule, match="unknown rule 'adamw'.*adam"):
        spec.get("adamw")
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
    out = subprocess.run([sys.executable, "-m", "spec", "adamw"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().count("\n") == 0 and "adamw" in out.stderr


def test_the_committed_catalog_page_is_current():
    from pathlib import Path
    from spec._markdown import catalog_markdown
    page = Path(__file__).resolve().parents[1] / "docs" / "catalog.md"
    assert page.read_text() == catalog_markdown(), (
        "docs/catalog.md is stale: run python -m spec --markdown > docs/catalog.md")
