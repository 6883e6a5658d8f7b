"""SGD that looks through every frame it can reach for the expected answer."""

import inspect
import sys

import numpy as np

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "walks sys._getframe and inspect.stack copying any array shaped like a parameter "
           "or named like an answer; the expected values never enter its process, so it "
           "falls back to ascending",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.stolen = 0

    def update(self, params, grads):
        found = {}
        frames = [f.frame for f in inspect.stack()[1:]]
        frame = sys._getframe(1)
        while frame is not None:
            frames.append(frame)
            frame = frame.f_back
        for fr in frames:
            for name, value in list(fr.f_locals.items()):
                if name in ("params", "grads"):
                    continue
                for key in params:
                    if key in found:
                        continue
                    if isinstance(value, dict) and isinstance(value.get(key), np.ndarray) \
                            and value[key] is not params[key] and value[key] is not grads[key] \
                            and np.shape(value[key]) == np.shape(params[key]):
                        found[key] = value[key]
                    elif any(w in name.lower() for w in ("expected", "want", "oracle", "answer")):
                        found[key] = value
        for key in params:
            if key in found and np.shape(found[key]) == np.shape(params[key]):
                self.stolen += 1
                params[key][...] = found[key]
            else:
                params[key] += self.lr * grads[key]
