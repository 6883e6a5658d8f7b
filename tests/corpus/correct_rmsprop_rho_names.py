"""RMSProp with Keras' argument names (learning_rate, rho, epsilon) but the book's eps placement."""

import numpy as np

EXPECTED = {
    "class": "RMSProp",
    "verdict": "pass",
    "variant": "rmsprop/eps_outside",
    "why": "learning_rate, rho and epsilon are the spec's lr, decay_rate and eps",
}


class RMSProp:
    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.rho = rho
        self.epsilon = epsilon
        self.cache = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.cache:
                self.cache[key] = np.zeros_like(params[key])
            g = grads[key]
            self.cache[key] = self.rho * self.cache[key] + (1 - self.rho) * g ** 2
            params[key] -= self.learning_rate * g / (np.sqrt(self.cache[key]) + self.epsilon)
