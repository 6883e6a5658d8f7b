"""Keras-style Adam: learning_rate, beta_1, beta_2, epsilon; the efficient eps-hat order."""

import math

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "pass",
    "variant": "adam/eps_hat",
    "why": "the constructor names learning_rate and epsilon; lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)",
}


class Adam:
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.iterations = 0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.iterations += 1
        t = self.iterations
        lr_t = self.learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        for key in params:
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            g = grads[key]
            self.m[key] = self.beta_1 * self.m[key] + (1 - self.beta_1) * g
            self.v[key] = self.beta_2 * self.v[key] + (1 - self.beta_2) * np.square(g)
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + self.epsilon)
