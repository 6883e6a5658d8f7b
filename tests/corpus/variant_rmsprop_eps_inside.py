"""tf.keras' RMSprop: rho, epsilon = 1e-7 inside the root."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "pass",
    "variant": "rmsprop/eps_inside",
    "why": "W -= lr g / sqrt(h + eps) as tf.keras 2.x, with its argument names",
}


class RMSprop:
    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.rho = rho
        self.epsilon = epsilon
        self.ms = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.ms:
                self.ms[key] = np.zeros_like(params[key])
            g = grads[key]
            self.ms[key] = self.rho * self.ms[key] + (1.0 - self.rho) * np.square(g)
            params[key] -= self.learning_rate * g / np.sqrt(self.ms[key] + self.epsilon)
