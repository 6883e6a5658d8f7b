"""Relations between forms, proven by SymPy: identities and proven differences."""

import pytest

from spec.relations import RELATIONS

NAMES = {r.name for r in RELATIONS}


def test_the_relations_the_project_relies_on_are_all_there():
    assert {
        "book-moving-average", "adam-eps-hat-equal", "adam-eps-hat-only",
        "adam-same-eps-differs", "momentum-pytorch-book", "momentum-lr-change",
        "nesterov-lookahead", "nesterov-pytorch-bengio", "adagrad-eps-inside-outside",
        "rmsprop-eps-inside-outside",
    } <= NAMES
    # both kinds are represented: identities and proven non-identities
    assert {r.claim for r in RELATIONS} == {True, False}


def test_optax_and_keras_are_related_to_the_other_forms():
    assert {
        "optax-sgd-torch", "keras-sgd-momentum", "keras-sgd-nesterov", "optax-adam-algorithm1",
        "optax-amsgrad-torch", "keras-adam-eps-hat", "optax-adamw-torch", "optax-nadam-torch",
        "keras-nadam-torch", "optax-rmsprop-eps-inside", "keras-rmsprop-optax",
        "optax-adagrad-keras3", "keras3-adagrad-tf-keras", "optax-adamax-torch",
        "keras-adamax-torch", "optax-radam-torch", "optax-adadelta-torch",
    } <= NAMES
    import spec
    names = {r.name for r in spec.all_rules()}
    for r in RELATIONS:
        assert set(r.links) <= names, r.name
    # every optax and Keras variant is linked to some other rule by a proven relation
    linked = {n for r in RELATIONS for n in r.links}
    assert {r.name for r in spec.all_rules() if r.api in ("optax", "keras")} <= linked


@pytest.mark.parametrize("relation", RELATIONS, ids=lambda r: r.name)
def test_relation_is_proven(relation):
    proof = relation.prove()
    assert proof.holds == relation.claim, proof.detail
