"""CS231n's starter pattern gone wrong: t starts at 1 and is advanced before use."""

import numpy as np

EXPECTED = {
    "class": "Adam",
    "verdict": "fail",
    "kind": "numeric",
    "mistake": "t-starts-at-1",
    "why": "config['t'] starts at 1 and is incremented first, so the first step corrects with t = 2",
}


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.config = {"learning_rate": lr, "beta1": beta1, "beta2": beta2, "epsilon": eps,
                       "t": 1}
        self.lr = lr
        self.m, self.v = {}, {}

    def update(self, params, grads):
        c = self.config
        c["learning_rate"] = self.lr
        c["t"] += 1
        for key in params:
            if key not in self.m:
                self.m[key] = np.zeros_like(params[key])
                self.v[key] = np.zeros_like(params[key])
            g = grads[key]
            self.m[key] = c["beta1"] * self.m[key] + (1 - c["beta1"]) * g
            self.v[key] = c["beta2"] * self.v[key] + (1 - c["beta2"]) * (g ** 2)
            mt = self.m[key] / (1 - c["beta1"] ** c["t"])
            vt = self.v[key] / (1 - c["beta2"] ** c["t"])
            params[key] -= c["learning_rate"] * mt / (np.sqrt(vt) + c["epsilon"])
