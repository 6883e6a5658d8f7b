"""AdaGrad (Duchi et al., 2011), fully annotated.

Parameters
----------
lr : float
    Global learning rate.
eps : float
    Small constant added to the denominator for numerical stability.

Notes
-----
The accumulated squared gradient ``h`` only ever grows, so the effective
learning rate ``lr / sqrt(h)`` decays monotonically per coordinate.
"""
EXPECTED = {"class": "AdaGrad", "api": "book", "verdict": "pass", "rule": "adagrad", "why": "fully annotated AdaGrad with Optional state created on first call"}


from typing import Dict, Optional

import numpy as np

Array = np.ndarray


class AdaGrad:
    def __init__(self, lr: float = 0.01, eps: float = 1e-7) -> None:
        self.lr: float = lr
        self.eps: float = eps
        self.h: Optional[Dict[str, Array]] = None

    def update(self, params: Dict[str, Array], grads: Dict[str, Array]) -> None:
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        h: Dict[str, Array] = self.h
        for key in params:
            g: Array = grads[key]
            h[key] += g * g
            params[key] -= self.lr * g / (np.sqrt(h[key]) + self.eps)
