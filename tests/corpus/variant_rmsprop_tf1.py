"""TensorFlow 1's RMSPropOptimizer: the average starts at 1, epsilon inside the root."""

import numpy as np

EXPECTED = {
    "class": "RMSPropOptimizer",
    "verdict": "pass",
    "variant": "rmsprop/tf1",
    "why": "ms starts at ones (tf.train.RMSPropOptimizer), eps 1e-10 inside sqrt",
}


class RMSPropOptimizer:
    def __init__(self, learning_rate=0.001, decay=0.9, epsilon=1e-10):
        self.learning_rate = learning_rate
        self.decay = decay
        self.epsilon = epsilon
        self.ms = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.ms:
                self.ms[key] = np.ones_like(params[key])
            g = grads[key]
            self.ms[key] += (1 - self.decay) * (g * g - self.ms[key])
            params[key] -= self.learning_rate * g / np.sqrt(self.ms[key] + self.epsilon)
