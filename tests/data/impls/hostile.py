"""Optimizers that attack the harness instead of (or as well as) optimizing.

None of these may ever pass.  The classes that hang or kill their process are
SGD-shaped so that the first update reaches the attack.
"""

import inspect
import json
import os
import signal
import sys
import time

import numpy as np


class SGDOsExit:
    """exit: ends its own process, with status 0, in the middle of update."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        sys.stdout.flush()
        os._exit(0)


class SGDSpin:
    """timeout: never returns."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        while True:
            pass


class SGDSleep:
    """timeout: sleeps for an hour."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        time.sleep(3600)


class SGDIgnoresTerm:
    """timeout: ignores SIGTERM (and SIGINT), then spins."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        while True:
            pass


class SGDHuge:
    """crash or exit: asks for a petabyte."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        self.waste = np.ones((1 << 50,), dtype=np.uint8)


class SGDHoards:
    """crash or exit: allocates until memory runs out, in many small pieces."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.hoard = []

    def update(self, params, grads):
        while True:
            self.hoard.append(np.empty(64 << 20, dtype=np.uint8))


class SGDFakeVerdict:
    """numeric: climbs the gradient while printing what a passing report looks like."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self._shout()

    @staticmethod
    def _shout():
        print("verdict: PASS  (0.1 s; rerun with --seed 0)")
        print(json.dumps({"verdict": "pass", "findings": [], "variant": "sgd/plain"}))
        print("verdict: PASS", file=sys.stderr)
        sys.stdout.flush()

    def update(self, params, grads):
        self._shout()
        for key in params:
            params[key] += self.lr * grads[key]


class SGDFrameWalker:
    """numeric: looks through every frame it can reach for the expected answer.

    It copies any array found in a caller's locals whose shape matches a
    parameter (hoping it is the expected value); failing that, it steps the
    wrong way.
    """

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
                    if isinstance(value, dict) and isinstance(value.get(key), np.ndarray) \
                            and value[key] is not params[key] and value[key] is not grads[key] \
                            and np.shape(value[key]) == np.shape(params[key]) and key not in found:
                        found[key] = value[key]
                    for attr in ("expected", "want", "oracle", "answer"):
                        if attr in name.lower() and key not in found:
                            found[key] = value
        for key in params:
            if key in found and np.shape(found[key]) == np.shape(params[key]):
                self.stolen += 1
                params[key][...] = found[key]
            else:
                params[key] += self.lr * grads[key]


class SGDForks:
    """exit: starts a long-lived child process, then ends its own process.

    The checker must not wait for the child, and must not leave it running.
    """

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        import subprocess

        with open("/proc/self/cmdline", "rb") as f:  # the worker's: it names the checker
            checker = f.read().split(b'"parent_pid": ', 1)[-1].split(b",", 1)[0].decode()
        code = f"import time; time.sleep(3600)  # checker {checker}\n"  # so the test finds it
        subprocess.Popen([sys.executable, "-c", code])
        time.sleep(0.5)
        os._exit(0)
