"""Constructor defaults and hard-coded constants, beside the sources' values."""

import textwrap

import checker

ADAM = '''
import numpy as np

class Adam:
    def __init__(self, lr={lr}, beta1=0.9, beta2={beta2}):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {{k: np.zeros_like(v) for k, v in params.items()}}
            self.v = {{k: np.zeros_like(v) for k, v in params.items()}}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for k in params:
            self.m[k] += (1 - self.beta1) * (grads[k] - self.m[k])
            self.v[k] += (1 - self.beta2) * (grads[k]**2 - self.v[k])
            params[k] -= lr_t * self.m[k] / (np.sqrt(self.v[k]) + 1e-7)
'''


def _check(tmp_path, **defaults):
    path = tmp_path / "adam_defaults.py"
    path.write_text(textwrap.dedent(ADAM.format(**defaults)))
    return checker.check(f"{path}:Adam", profile="quick", seed=0)


def test_book_defaults_are_recognised_and_eps_is_reported_hard_coded(tmp_path):
    report = _check(tmp_path, lr=0.001, beta2=0.999)
    assert report.verdict == "pass" and report.variant == "adam/eps_hat"
    assert report.hyperparameters["eps"] == {"value": 1e-7, "how": "hard-coded, inferred"}
    assert "book" in report.defaults["eps"]["sources"]
    assert "book" in report.defaults["lr"]["sources"]
    assert not [f for f in report.findings if f.kind == "defaults"]
    assert report.to_json()["inferred"] == {"eps": 1e-7}


def test_a_default_no_source_uses_is_a_warning_and_an_odd_lr_a_note(tmp_path):
    report = _check(tmp_path, lr=0.01, beta2=0.01)
    warned = [f for f in report.findings if f.kind == "defaults"]
    assert len(warned) == 1 and warned[0].status == "warn"
    assert "beta2 = 0.01" in warned[0].message and "0.999" in warned[0].message
    assert any("lr = 0.01" in w and "unusual" in w for w in report.warnings)
    assert report.defaults["beta2"]["sources"] == []


def test_a_default_outside_the_domain_fails_and_lr_zero_is_warned(tmp_path):
    report = _check(tmp_path, lr=0.0, beta2=1.5)
    bad = [f for f in report.findings if f.status == "fail"]
    assert [f.kind for f in bad] == ["defaults"], [f.message for f in bad]
    assert "beta2 = 1.5 is outside [0, 1)" in bad[0].message
    assert report.verdict == "fail"
    assert any(f.kind == "defaults" and f.status == "warn" and "lr = 0" in f.message
               for f in report.findings)


def test_a_default_lr_of_zero_is_warned_and_the_rest_judged_as_usual(tmp_path):
    # the probe passes the rule's lr instead of 0, with which nothing moves and the
    # hard-coded eps cannot be told (it was inferred as 1e-8, then every problem failed)
    report = _check(tmp_path, lr=0.0, beta2=0.999)
    assert report.verdict == "pass", [f.message for f in report.findings if f.status == "fail"]
    assert report.variant == "adam/eps_hat"
    assert report.hyperparameters["eps"] == {"value": 1e-7, "how": "hard-coded, inferred"}
    assert report.defaults["lr"]["value"] == 0.0
    assert any(f.kind == "defaults" and f.status == "warn" and "lr = 0" in f.message
               for f in report.findings)


def test_a_default_that_refuses_to_build_fails_and_says_how_to_fix_it(tmp_path):
    # written by someone who had not read the checker: AdaGrad(lr=None) raising in __init__
    path = tmp_path / "adagrad_none.py"
    path.write_text(textwrap.dedent("""
        import numpy as np

        class AdaGrad:
            def __init__(self, lr=None):
                if lr is None:
                    raise ValueError("lr is required")
                self.lr, self.h = lr, None

            def update(self, params, grads):
                if self.h is None:
                    self.h = {k: np.zeros_like(v) for k, v in params.items()}
                for k in params:
                    self.h[k] += grads[k] * grads[k]
                    params[k] -= self.lr * grads[k] / (np.sqrt(self.h[k]) + 1e-7)
    """))
    report = checker.check(f"{path}:AdaGrad", profile="quick", seed=0)
    (f,) = [f for f in report.findings if f.status == "fail"]
    assert f.property == "construct with the defaults" and "lr is required" in f.message
    assert "AdaGrad() with its own defaults must build an optimizer" in f.message
