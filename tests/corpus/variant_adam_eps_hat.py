"""TensorFlow 1's AdamOptimizer: the efficient order, epsilon-hat = 1e-8."""

import math

import numpy as np

EXPECTED = {
    "class": "AdamOptimizer",
    "verdict": "pass",
    "variant": "adam/eps_hat",
    "why": "lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); W -= lr_t m / (sqrt(v) + eps_hat)",
}


class AdamOptimizer:
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.beta1_power = 1.0
        self.beta2_power = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        self.beta1_power *= self.beta1
        self.beta2_power *= self.beta2
        lr_t = self.learning_rate * math.sqrt(1 - self.beta2_power) / (1 - self.beta1_power)
        for key in params:
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            g = grads[key]
            self.m[key] = self.m[key] * self.beta1 + (1 - self.beta1) * g
            self.v[key] = self.v[key] * self.beta2 + (1 - self.beta2) * g * g
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + self.epsilon)
