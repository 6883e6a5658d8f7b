"""The public surface of `reference` and what every constructor accepts."""

import doctest
import inspect
import subprocess
import sys

import numpy as np
import pytest

import reference

CLASSES = [getattr(reference, name) for name in reference.__all__]


def test_public_api_is_pinned():
    assert reference.__all__ == ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]


def test_depends_on_numpy_only():
    code = ("import sys, reference; "
            "print(sorted({'spec', 'sympy', 'mpmath', 'hypothesis'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_accepts_the_edges_of_each_domain(cls):
    # zero is inside every domain; ints and NumPy floats are numbers and are stored as floats
    opt = cls(**{name: 0 for name in inspect.signature(cls).parameters})
    assert opt.lr == 0.0
    opt = cls(lr=np.float32(0.5))
    assert type(opt.lr) is float and opt.lr == 0.5


def test_docstring_example_runs():
    assert doctest.testmod(reference).failed == 0
