"""Rule inference from class names and hyperparameter binding to constructors."""

import pytest

import spec
from checker._adapter import bind, infer_rule, lr_attribute


@pytest.mark.parametrize("name, rule", [
    ("Adam", "adam"), ("AdaGrad", "adagrad"), ("Adagrad", "adagrad"), ("RMSprop", "rmsprop"),
    ("RMSProp", "rmsprop"), ("rmsprop", "rmsprop"), ("Momentum", "momentum"),
    ("MomentumSGD", "momentum"), ("Nesterov", "nesterov"), ("NesterovMomentum", "nesterov"),
    ("SGD", "sgd"), ("sgd", "sgd"), ("MyOptimizer", None), ("Optimizer", None),
    # a rule's word begins a word of the name: these end in "radam" / "nadam" but are Adams
    ("OurAdam", "adam"), ("BetterAdam", "adam"), ("HelperAdam", "adam"), ("HumanAdam", "adam"),
    ("RAdam", "radam"), ("MyRAdam", "radam"), ("NAdam", "nadam"), ("my_nadam", "nadam"),
    ("AdamW", "adamw"), ("AdamWrapper", "adam"), ("ouradam", "adam"), ("Adamax", "adamax"),
])
def test_rule_is_inferred_from_the_class_name(name, rule):
    assert infer_rule(name) == rule


def _params(**defaults):
    return [{"name": k, "kind": "POSITIONAL_OR_KEYWORD", "default": v} for k, v in defaults.items()]


def test_book_adam_binds_everything_but_eps():
    a = bind(spec.get("adam"), _params(lr=0.001, beta1=0.9, beta2=0.999))
    assert a.passed == ["lr", "beta1", "beta2"]
    assert a.hard_coded == ["eps"]
    assert a.kwargs({"lr": 0.1, "eps": 1e-3}) == {"lr": 0.1}
    assert a.constructor_defaults() == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999}


def test_aliases_and_betas_tuple():
    a = bind(spec.get("adam"), _params(learning_rate=0.001, betas=(0.9, 0.999), epsilon=1e-8,
                                       weight_decay=0.0))
    assert a.hard_coded == []
    assert a.kwargs({"lr": 0.01, "beta1": 0.5, "beta2": 0.99, "eps": 1e-6}) == {
        "learning_rate": 0.01, "betas": (0.5, 0.99), "epsilon": 1e-6}
    assert a.extra_params == ["weight_decay"]
    assert lr_attribute(a) == "learning_rate"


def test_rmsprop_rho_and_alpha():
    assert bind(spec.get("rmsprop"), _params(lr=0.01, rho=0.9)).bindings["decay_rate"].param == "rho"
    assert bind(spec.get("rmsprop"), _params(lr=0.01, alpha=0.99)).bindings["decay_rate"].param == "alpha"


def test_no_default_is_reported_as_none():
    a = bind(spec.get("sgd"), _params(lr=None))
    assert a.constructor_defaults() == {"lr": None}
