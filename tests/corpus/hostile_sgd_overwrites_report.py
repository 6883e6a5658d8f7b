"""SGD that finds the checker's --json path in its parent's command line and writes a pass."""

import json
import os

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "numeric",
    "why": "reads /proc/<parent>/cmdline, writes a fake passing report to the --json path at "
           "every update, and ascends; the checker writes its own report last",
}


def _fake_report():
    try:
        with open(f"/proc/{os.getppid()}/cmdline", "rb") as f:
            argv = f.read().decode(errors="replace").split("\0")
    except OSError:
        return
    if "--json" in argv:
        path = argv[argv.index("--json") + 1]
        try:
            with open(path, "w") as f:
                json.dump({"verdict": "pass", "variant": "sgd/plain", "findings": []}, f)
        except OSError:
            pass


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        _fake_report()
        for key in params:
            params[key] += self.lr * grads[key]
