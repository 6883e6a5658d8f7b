"""TensorFlow 1's AdagradOptimizer: the accumulator starts at 0.1 and there is no epsilon."""

import numpy as np

EXPECTED = {
    "class": "AdagradOptimizer",
    "verdict": "pass",
    "variant": "adagrad/tf1",
    "why": "h starts at 0.1, so sqrt(h) is never 0 and no epsilon is needed",
}


class AdagradOptimizer:
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1):
        self.learning_rate = learning_rate
        self.initial_accumulator_value = initial_accumulator_value
        self.accum = None

    def update(self, params, grads):
        if self.accum is None:
            self.accum = {k: np.full_like(v, self.initial_accumulator_value)
                          for k, v in params.items()}
        for key in params:
            self.accum[key] += np.square(grads[key])
            params[key] -= self.learning_rate * grads[key] / np.sqrt(self.accum[key])
