"""CS231n's adam that never mutates its config: each call returns a new dict."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "why": "the caller (the Solver) keeps the config that is returned, so a fresh dict with "
           "the new m, v and t each call is as good as updating the old one",
}


def adam(w, dw, config=None):
    old = {} if config is None else config
    lr = old.get("learning_rate", 1e-3)
    beta1 = old.get("beta1", 0.9)
    beta2 = old.get("beta2", 0.999)
    eps = old.get("epsilon", 1e-8)
    t = old.get("t", 0) + 1
    m = beta1 * old.get("m", np.zeros_like(w)) + (1 - beta1) * dw
    v = beta2 * old.get("v", np.zeros_like(w)) + (1 - beta2) * dw * dw

    mt = m / (1 - beta1 ** t)
    vt = v / (1 - beta2 ** t)
    next_w = w - lr * mt / (np.sqrt(vt) + eps)

    next_config = {**old, "m": m, "v": v, "t": t}
    return next_w, next_config
