"""SGD that ignores SIGTERM and SIGINT, then spins."""

import signal

EXPECTED = {
    "class": "SGD",
    "verdict": "fail",
    "kind": "timeout",
    "timeout": 1,
    "why": "SIGTERM and SIGINT ignored, then an endless loop: only SIGKILL ends it",
}


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        n = 0
        while True:
            n += 1
