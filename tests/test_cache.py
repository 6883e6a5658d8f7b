"""The cache of generated code on disk (`spec._cache`): what it gives back is what the
derivation gives, a new rule or new spec code is a new key, and a cache that is broken,
unwritable or turned off is merely no cache."""

import inspect
import itertools

import mpmath
import pytest

import spec
from spec import _cache, _mpfr, bound
from spec._specialise import specialiser
from spec.mistakes import mistakes_for


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(_cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _rules():
    """Every variant, each specialisation of the flagged ones the oracle compiles at the
    defaults, and a few named mistakes (their rules are built afresh on each use)."""
    out = []
    for rule in spec.all_rules():
        if not rule.flags:
            out.append(rule)
            continue
        s = specialiser(rule)
        flags = [h.name for h in rule.flags]
        for combo in itertools.product((0.0, 1.0), repeat=len(flags)):
            hypers = dict(rule.defaults, **dict(zip(flags, combo)))
            if rule.admits(hypers) is not None:
                continue
            k = s.key(1, rule.resolve(hypers), 200)
            if k is not None:
                out.append(s.rule(k))
    adam = spec.get("adam")
    out += [mistaken for _, mistaken, _ in mistakes_for(adam)[:4]]
    return out


def _inputs(fn, seed):
    """Arguments for a bound's function: nonnegative error inputs, values of both signs,
    t an integer."""
    names = fn.__code__.co_varnames[:fn.__code__.co_argcount]
    rng = __import__("random").Random(seed)
    out = []
    for n in names:
        if n == "t":
            out.append(mpmath.mpf(rng.randint(1, 9)))
        elif n[:2] in ("E_", "D_", "F_"):
            out.append(mpmath.mpf(rng.uniform(0, 3)))
        else:
            out.append(mpmath.mpf(rng.uniform(-1, 1)) * 10 ** rng.randint(-3, 2))
    return out


def test_what_the_cache_gives_back_is_the_derivation_itself(cache):
    rules = _rules()
    seen = set()
    for rule in rules:
        k = _cache.key("bound", _cache.definition(rule))
        if k in seen:  # two flag combinations may specialise to the same equations
            continue
        seen.add(k)
        derived = bound.compiled.__wrapped__(rule)  # derives, and stores
        again = bound.compiled.__wrapped__(rule)  # loads
        assert derived.__code__.co_filename.startswith("<lambdifygenerated"), rule.name
        assert again.__code__.co_filename.startswith("<bound-"), rule.name
        assert inspect.getsource(again) == inspect.getsource(derived), rule.name
        for seed in range(3):
            args = _inputs(derived, seed)
            with mpmath.workdps(60):
                assert again(*args) == derived(*args), (rule.name, seed)
        # the MPFR evaluation reads the source back from linecache, as it does lambdify's
        assert (_mpfr.bound_function(again) is None) == (_mpfr.bound_function(derived) is None)
    assert len(seen) > 60 and len(list(cache.glob("*.py"))) == len(seen)


def test_a_rule_or_an_assumption_changed_is_another_key():
    adam = spec.get("adam")
    (_, mistaken, _), *_ = mistakes_for(adam)
    keys = {_cache.key("bound", _cache.definition(r)) for r in (adam, mistaken)}
    assert len(keys) == 2
    # the same rule built afresh is the same key
    assert _cache.definition(spec.get("adam")) == _cache.definition(adam)
    # a symbol's assumptions are part of the text (they change what SymPy derives)
    import sympy as sp
    assert sp.srepr(sp.Symbol("m", positive=True)) != sp.srepr(sp.Symbol("m"))
    assert _cache.key("bound", "x") != _cache.key("kernel", "x")


def test_the_spec_code_is_part_of_the_key(monkeypatch):
    before = _cache.key("bound", "x")
    _cache._code_version.cache_clear()
    real = _cache.Path.read_bytes
    monkeypatch.setattr(_cache.Path, "read_bytes",
                        lambda self: real(self) + (b"# edited" if self.name == "bound.py" else b""))
    try:
        assert _cache.key("bound", "x") != before
    finally:
        monkeypatch.undo()
        _cache._code_version.cache_clear()
    assert _cache.key("bound", "x") == before


def test_a_corrupt_or_foreign_file_is_derived_again(cache):
    rule = spec.get("sgd")
    k = _cache.key("bound", _cache.definition(rule))
    cache.mkdir()
    for text in ("", "# not the key\nx = 1\n", f"# {k}\ndef broken(:\n", f"# {k}\n\udcff",
                 f"# {k}\nx = 1\n", f"# {k}\ndef other(W):\n    return W\n"):
        (cache / f"{k}.py").write_text(text, errors="surrogateescape")
        fn = bound.compiled.__wrapped__(rule)
        assert fn.__code__.co_filename.startswith("<lambdifygenerated"), repr(text)
        assert (cache / f"{k}.py").read_text().startswith(f"# {k}\n")


def test_an_unwritable_folder_or_off_is_no_cache(tmp_path, monkeypatch):
    rule = spec.get("sgd")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(_cache.ENV, str(blocker / "cache"))  # under a file: cannot exist
    for _ in range(2):
        fn = bound.compiled.__wrapped__(rule)
        assert fn.__code__.co_filename.startswith("<lambdifygenerated")
    for off in ("off", ""):
        monkeypatch.setenv(_cache.ENV, off)
        assert _cache.folder() is None
        bound.compiled.__wrapped__(rule)
    assert list(tmp_path.iterdir()) == [blocker]


def test_the_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.folder() == tmp_path / "optimizer-conformance"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache.folder() == tmp_path / ".cache" / "optimizer-conformance"

