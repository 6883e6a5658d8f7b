"""Deep Learning from Scratch 2's RMSprop: h decayed in place, eps = 1e-7 hard-coded."""

import numpy as np

EXPECTED = {
    "class": "RMSprop",
    "verdict": "pass",
    "variant": "rmsprop/eps_outside",
    "inferred": {"eps": 1e-7},
    "why": "the second volume's RMSprop as printed: h[i] *= rho; h[i] += (1 - rho) g g; "
           "the hard-coded 1e-7 is inferred",
}


class RMSprop:
    '''
    RMSprop
    '''
    def __init__(self, lr=0.01, decay_rate = 0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None
        
    def update(self, params, grads):
        if self.h is None:
            self.h = []
            for param in params:
                self.h.append(np.zeros_like(param))

        for i in range(len(params)):
            self.h[i] *= self.decay_rate
            self.h[i] += (1 - self.decay_rate) * grads[i] * grads[i]
            params[i] -= self.lr * grads[i] / (np.sqrt(self.h[i]) + 1e-7)
