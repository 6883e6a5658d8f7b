"""RMSProp for the CS231n optim API with type hints."""
EXPECTED = {"class": "rmsprop", "api": "cs231n", "verdict": "pass", "rule": "rmsprop", "why": "typed signature, Optional config, cache updated and stored"}

from typing import Any, Dict, Optional, Tuple

import numpy as np


def rmsprop(w: np.ndarray, dw: np.ndarray, config: Optional[Dict[str, Any]] = None) -> Tuple[np.ndarray, Dict[str, Any]]:
    if config is None:
        config = {}
    lr: float = config.setdefault("learning_rate", 1e-2)
    rho: float = config.setdefault("decay_rate", 0.99)
    eps: float = config.setdefault("epsilon", 1e-8)
    cache: np.ndarray = config.get("cache", np.zeros_like(w))

    cache = rho * cache + (1.0 - rho) * np.square(dw)
    next_w: np.ndarray = w - lr * dw / (np.sqrt(cache) + eps)

    config["cache"] = cache
    return next_w, config
