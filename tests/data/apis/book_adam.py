import numpy as np


class Adam:
    """The paper's Algorithm 1 in the book's API, with a 1e-6 relative error in the step."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        self.t += 1
        for k in params:
            m = self.m.setdefault(k, np.zeros_like(params[k]))
            v = self.v.setdefault(k, np.zeros_like(params[k]))
            m *= self.beta1
            m += (1 - self.beta1) * grads[k]
            v *= self.beta2
            v += (1 - self.beta2) * grads[k] ** 2
            mhat = m / (1 - self.beta1 ** self.t)
            vhat = v / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * (1 + 1e-6) * mhat / (np.sqrt(vhat) + self.eps)
