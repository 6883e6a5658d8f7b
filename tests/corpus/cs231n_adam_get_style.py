"""CS231n's adam in the config.get style, with np.sqrt on the bias-corrected v."""

import numpy as np

EXPECTED = {
    "class": "adam",
    "verdict": "pass",
    "variant": "adam/algorithm1",
    "why": "hyperparameters read with config.get(key, default), state written back under the "
           "assignment's keys; m_hat / (np.sqrt(v_hat) + eps) is Algorithm 1",
}


def adam(w, dw, config=None):
    if config is None:
        config = {}
    lr = config.get("learning_rate", 1e-3)
    beta1 = config.get("beta1", 0.9)
    beta2 = config.get("beta2", 0.999)
    eps = config.get("epsilon", 1e-8)
    m = config.get("m", np.zeros_like(w))
    v = config.get("v", np.zeros_like(w))
    t = config.get("t", 0) + 1

    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * np.square(dw)
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    next_w = w - lr * m_hat / (np.sqrt(v_hat) + eps)

    config["m"], config["v"], config["t"] = m, v, t
    return next_w, config
