"""SGD with full type annotations (mypy --strict clean-ish).

Iterates with .items() and uses the array object itself, which is an
in-place operation for ndarrays.
"""
EXPECTED = {'class': 'SGD',
 'api': 'book',
 'rule': 'sgd',
 'verdict': 'pass',
 'variant': 'sgd/plain',
 'why': 'written by someone who had not read the checker: annotated SGD, p -= lr*g on the '
        'array obtained from params.items()'}

# What the writer expected, written before any checker ran (benchmarks/outside.py reads it)
WRITTEN = {'class': 'SGD', 'api': 'book', 'verdict': 'pass', 'rule': 'sgd', 'why': 'annotated SGD, p -= lr*g on the array obtained from params.items()'}

from typing import Dict

import numpy as np
from numpy.typing import NDArray


class SGD:
    lr: float

    def __init__(self, lr: float = 0.01) -> None:
        self.lr = lr

    def update(self, params: Dict[str, NDArray[np.floating]], grads: Dict[str, NDArray[np.floating]]) -> None:
        name: str
        p: NDArray[np.floating]
        for name, p in params.items():
            p -= self.lr * grads[name]
