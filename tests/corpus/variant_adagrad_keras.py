"""tf.keras' Adagrad: the accumulator starts at 0.1, epsilon 1e-7 outside the root."""

import numpy as np

EXPECTED = {
    "class": "Adagrad",
    "verdict": "pass",
    "variant": "adagrad/keras",
    "why": "initial_accumulator_value = 0.1 as tf.keras 2.x; eps added to sqrt(h)",
}


class Adagrad:
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon
        self.accumulators = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.accumulators:
                self.accumulators[key] = np.full_like(
                    params[key], self.initial_accumulator_value)
            acc = self.accumulators[key]
            acc += grads[key] * grads[key]
            params[key] -= self.learning_rate * grads[key] / (np.sqrt(acc) + self.epsilon)
