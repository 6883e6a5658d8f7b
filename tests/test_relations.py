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


@pytest.mark.parametrize("relation", RELATIONS, ids=lambda r: r.name)
def test_relation_is_proven(relation):
    proof = relation.prove()
    assert proof.holds == relation.claim, proof.detail
