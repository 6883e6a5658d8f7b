"""CS231n's sgd that returns next_w as a Python list (.tolist())."""

EXPECTED = {
    "class": "sgd",
    "verdict": "fail",
    "kind": "api",
    "says": "returns next_w as a list, not a float array like w",
    "why": "next_w must be an array like w; a list is the wrong type, a failure of the API and "
           "not an internal error of the checker",
}


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    next_w = (w - config["learning_rate"] * dw).tolist()
    return next_w, config
