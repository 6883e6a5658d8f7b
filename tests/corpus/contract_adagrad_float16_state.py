"""AdaGrad that keeps its accumulator in float16 to save memory."""

import numpy as np

EXPECTED = {
    "class": "AdaGrad",
    "verdict": "fail",
    "kind": "numeric",
    "why": "h in float16 overflows past 65504 and rounds at 3 digits; the in-place -= keeps W's "
           "dtype, so the damage shows in the numbers, not as a dtype change",
}


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.lr, self.eps = lr, eps
        self.h = {}

    def update(self, params, grads):
        with np.errstate(all="ignore"):
            for key in params:
                if key not in self.h:
                    self.h[key] = np.zeros(np.shape(params[key]), dtype=np.float16)
                self.h[key] += (grads[key] * grads[key]).astype(np.float16)
                params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + self.eps)
