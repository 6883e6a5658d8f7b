"""Seed 000, cell In [6]: AdaGrad, exactly as written (it is correct)."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "pass",
    "variant": "adagrad/eps_outside",
    "inferred": {"eps": 1e-7},
    "why": "the book's AdaGrad copied faithfully, with the hard-coded 1e-7",
}


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None
        
    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
            # 여기에서 주의할 점은 마지막에 1e-7이라는 작은 값을 더하는 부분이다.
            # 이 작은 값은 self.h[key]에 0이 담겨있다 해도 0으로 나누는 사태를 막아준다.
