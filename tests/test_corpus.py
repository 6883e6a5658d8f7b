"""The corpus: every implementation in ``tests/corpus/`` judged as its EXPECTED says.

Each file of the corpus holds one optimizer class and a literal ``EXPECTED`` dict
(see ``tests/corpus/README.md``).  The dict is read with `ast.literal_eval`, never
by importing the file: hostile entries exit or hang at import, and some seed
entries do not even parse.  Each entry is one real run of

    python -m checker tests/corpus/FILE.py:CLASS [--rule R] [--api A] --profile quick
        --seed 0 --quiet --json PATH [--timeout T]

from the repository's root.  CLASS is a class, or for the CS231n entries a function;
an entry that needs an optional package (``"requires": "torch"``) is skipped, with
the reason, where that package is not installed.  Every aspect of an entry (verdict,
kind, variant, mistake, inferred constants, ...) is a test of its own, so that a known
checker weakness is a strict xfail of one aspect (``"xfail_<aspect>": "reason"`` in
EXPECTED) and not of the whole entry.

The runs: each is that command, started by `tests/warm_checker.py`, a process that has
imported what ``python -m checker`` imports and forks one child per run, which then is
the command with those arguments (its own session, its own stdout, stderr and exit code;
nothing from another run): the second of imports a cold interpreter spends is paid once
per test process, not once per entry.  Its workers fork from templates the server keeps
(``--templates``: one with NumPy, one with torch), each run through a connection of its
own, so that a torch entry does not import torch again (2.5 s -> 0.9 s a run); the
template runs no target code and every worker is still a fresh fork.  The entries are
dealt into `SHARDS` xdist groups (every aspect of one entry in the same group, so each
entry runs once in the whole session); a module-scoped `Runner` starts the runs of a
shard, `PARALLEL` at a time, when the first test of that shard asks for one, so that
under pytest-xdist each worker runs the shards it was given, and only those.
"""

from __future__ import annotations

import ast
import concurrent.futures
import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

import spec
from checker import KINDS
from spec.mistakes import MISTAKES
from warm_checker import WarmChecker

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
GROUPS = ("correct", "variant", "mistake", "contract", "hostile", "seed",
          "cs231n", "booklist", "torch", "outside")
#: The groups of one API each (the others use the book's): each shows a pass and a fail.
API_GROUPS = ("cs231n", "booklist", "torch")
#: What --api takes; an entry says "api" only where the checker must not guess it.
APIS = ("book", "booklist", "cs231n", "torch")
#: Optional packages an entry may require (``"requires": "torch"``).
OPTIONAL = ("torch",)
PARALLEL = 2  # runs at a time in one test process: under -n 2, four runs on two cores (3: 5% more CPU, slower)
# Under pytest-xdist every worker collects every item, but runs only the groups it is given:
# the runner starts the runs of a shard when the first test of that shard needs one.
SHARDS = 8
LIMIT = 120.0  # seconds after which a run counts as hung and is killed
QUICK = ("--profile", "quick", "--seed", "0", "--quiet")

#: What may be asserted of an entry; each has its test and can be a strict xfail.
ASPECTS = ("verdict", "kind", "says", "not_kinds", "variant", "mistake", "inferred", "warns",
           "not_warns")
KEYS = {"class", "rule", "api", "requires", "verdict", "kind", "says", "not_kinds", "variant",
        "mistake", "inferred", "warns", "not_warns", "timeout", "slow", "why", "xfail",
        *(f"xfail_{a}" for a in ASPECTS)}

#: Mistakes of spec/mistakes.py that no entry can show by name, and why.
UNNAMEABLE = {
    "state-shared": "one state for keys of different shapes cannot even run: the checker's "
                    "probe has W[11] and b[2], so such code crashes "
                    "(mistake_adagrad_state_shared.py, contract_momentum_one_velocity.py)",
}


# -- the entries -------------------------------------------------------------------------


def read_expected(path: Path) -> dict:
    """The literal EXPECTED of ``path``, without importing it (nor needing all of it to parse)."""
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text)
    except SyntaxError:  # a seed that does not parse: read the assignment on its own
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("EXPECTED = ")), None)
        if start is None:
            raise LookupError(f"{path.name}: no line starting 'EXPECTED = '") from None
        for end in range(start + 1, len(lines) + 1):
            try:
                tree = ast.parse("\n".join(lines[start:end]))
                break
            except SyntaxError:
                continue
        else:
            raise LookupError(f"{path.name}: the EXPECTED assignment never parses") from None
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["EXPECTED"]:
            return ast.literal_eval(node.value)
    raise LookupError(f"{path.name}: no module-level EXPECTED = {{...}}")


@functools.lru_cache(maxsize=None)
def installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


@dataclass(frozen=True, eq=False)
class Entry:
    path: Path
    expected: dict

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def group(self) -> str:
        return self.id.split("_", 1)[0]

    @property
    def passes(self) -> bool:
        return self.expected.get("verdict") == "pass"

    def kinds(self) -> list[str]:
        kind = self.expected.get("kind")
        return [kind] if isinstance(kind, str) else list(kind or [])

    def missing(self) -> str | None:
        """Why the entry cannot run here (an optional package not installed), or None."""
        package = self.expected.get("requires")
        if package and not installed(package):
            return f"{self.id} needs {package}, which is not installed here"
        return None

    def target(self) -> str:
        return f"{self.path.relative_to(REPO).as_posix()}:{self.expected['class']}"

    def command(self, json_path: Path) -> list[str]:
        e = self.expected
        cmd = [sys.executable, "-m", "checker", self.target()]
        cmd += ["--rule", e["rule"]] if "rule" in e else []
        cmd += ["--api", e["api"]] if "api" in e else []
        cmd += [*QUICK, "--json", str(json_path)]
        cmd += ["--timeout", str(e["timeout"])] if "timeout" in e else []
        return cmd

    def shell(self) -> str:
        """The command, for a person to paste."""
        cmd = ["python", *self.command(Path("/tmp/report.json"))[1:]]
        return f"cd {_quote(str(REPO))} && " + " ".join(_quote(a) for a in cmd)


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[\w./:=@%+,-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def load_corpus() -> list[Entry]:
    return [Entry(p, read_expected(p)) for p in sorted(CORPUS.glob("*.py"))]


def _first(e: Entry) -> tuple:
    """Hangs and known slow runs first, so that they overlap the many short ones."""
    return ("timeout" not in e.expected, not e.expected.get("slow"), e.id)


ENTRIES = load_corpus()
#: entry id -> its shard: dealt in turn, the hangs and slow runs first, so that every shard
#: gets its share of them
SHARD = {e.id: i % SHARDS for i, e in enumerate(sorted(ENTRIES, key=_first))}


def params_for(aspect: str, entries: list[Entry]) -> list:
    """pytest params, one per entry, with a strict xfail where EXPECTED records a weakness,
    and skipped where the entry needs a package that is not installed."""
    out = []
    for e in entries:
        reason = e.expected.get(f"xfail_{aspect}") or e.expected.get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        if e.missing():
            marks = [pytest.mark.skip(reason=e.missing())]
        marks.append(pytest.mark.xdist_group(f"corpus{SHARD[e.id]}"))
        out.append(pytest.param(e, id=e.id, marks=marks))
    return out


def having(key: str) -> list[Entry]:
    return [e for e in ENTRIES if key in e.expected]


# -- running the checker -----------------------------------------------------------------


@dataclass
class Result:
    entry: Entry
    command: list[str]
    returncode: int | None  # None: killed after the limit
    stdout: str
    stderr: str
    report: dict | None
    elapsed: float

    def failing(self) -> list[dict]:
        return [f for f in (self.report or {}).get("findings", []) if f.get("status") == "fail"]

    def failed_kinds(self) -> list[str]:
        return [f.get("kind") for f in self.failing()]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_entry(entry: Entry, folder: Path, server: WarmChecker) -> Result:
    json_path = folder / f"{entry.id}.json"
    json_path.unlink(missing_ok=True)
    command = entry.command(json_path)
    # ``python -m checker ARGS``, forked warm; a run still going after LIMIT is killed with
    # its whole session
    code, stdout, stderr, elapsed, _ = server.run(command[3:], REPO, folder / entry.id, LIMIT)
    if code is None:
        stderr += f"\n[killed by the test after {LIMIT:g} s]"
    report = None
    if json_path.exists():
        try:
            report = json.loads(json_path.read_text())
        except ValueError as e:
            stderr += f"\n[the --json file is not JSON: {e}]"
    return Result(entry, command, code, stdout, stderr, report, elapsed)


class Runner:
    """Runs the entries the selected tests need, PARALLEL at a time, a shard at a time
    (the whole shard when the first of its entries is asked for); `get` waits for one."""

    def __init__(self, folder: Path, entries: list[Entry]):
        self.folder = folder
        self.pool = concurrent.futures.ThreadPoolExecutor(PARALLEL, thread_name_prefix="corpus")
        self.futures: dict[str, concurrent.futures.Future] = {}
        self._server: WarmChecker | None = None
        self._lock = threading.Lock()
        # never started: an entry whose optional package is missing is skipped by its tests
        self.shards: dict[int, list[Entry]] = {}
        for e in sorted((e for e in entries if not e.missing()), key=_first):
            self.shards.setdefault(SHARD[e.id], []).append(e)

    def server(self) -> WarmChecker:
        with self._lock:
            if self._server is None:
                self._server = WarmChecker(self.folder, _env(), templates=True)
            return self._server

    def _submit(self, entry: Entry) -> concurrent.futures.Future:
        with self._lock:
            if entry.id not in self.futures:
                self.futures[entry.id] = self.pool.submit(self._run, entry)
            return self.futures[entry.id]

    def _run(self, entry: Entry) -> Result:
        return run_entry(entry, self.folder, self.server())

    def get(self, entry: Entry) -> Result:
        if entry.missing():
            pytest.skip(entry.missing())
        for e in self.shards.pop(SHARD[entry.id], ()):
            self._submit(e)
        return self._submit(entry).result()

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self._server is not None:
            self._server.close()


@pytest.fixture(scope="module")
def runner(request, tmp_path_factory):
    here = request.module.__name__
    wanted = {}
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        module = getattr(item, "module", None)
        if callspec is None or module is None or module.__name__ != here \
                or "runner" not in getattr(item, "fixturenames", ()):
            continue
        for value in callspec.params.values():
            if isinstance(value, Entry):
                wanted[value.id] = value
    r = Runner(tmp_path_factory.mktemp("corpus"), list(wanted.values()))
    yield r
    r.close()


def expect(ok: bool, r: Result, expected: str, observed) -> None:
    """The one assertion: what EXPECTED says, what the run showed, and how to see it again."""
    if ok:
        return
    stdout = r.stdout if len(r.stdout) < 4000 else "..." + r.stdout[-4000:]
    stderr = r.stderr if len(r.stderr) < 2000 else "..." + r.stderr[-2000:]
    why = r.entry.expected.get("why", "")
    pytest.fail(f"{r.entry.id} ({why}): expected {expected}\n  observed: {observed}\n"
                f"  reproduce: {r.entry.shell()}\n  (exit {r.returncode}, {r.elapsed:.1f} s)\n"
                f"--- stdout\n{stdout}\n--- stderr\n{stderr}", pytrace=False)


def judged(runner: Runner, entry: Entry) -> Result:
    """The run of ``entry``, which must have ended and written a report."""
    r = runner.get(entry)
    expect(r.returncode is not None, r, f"the run to end within {LIMIT:g} s", "it was killed")
    expect(r.report is not None, r, "a JSON report at the --json path", "no file, or not JSON")
    return r


# -- the corpus itself -------------------------------------------------------------------


def test_corpus_sizes():
    by_group = {g: [e for e in ENTRIES if e.group == g] for g in GROUPS}
    buggy = [e for e in ENTRIES if not e.passes]
    correct = [e for e in ENTRIES if e.passes]
    sizes = {g: len(v) for g, v in by_group.items()}
    assert len(buggy) >= 60, f"{len(buggy)} buggy entries, want at least 60: {sizes}"
    assert len(correct) >= 20, f"{len(correct)} correct entries, want at least 20: {sizes}"
    assert len(by_group["correct"]) >= 20, f"want at least 20 correct_ files: {sizes}"
    assert sum(sizes.values()) == len(ENTRIES), \
        f"files outside the groups {GROUPS}: {[e.id for e in ENTRIES if e.group not in GROUPS]}"
    for g in API_GROUPS:
        verdicts = {e.expected.get("verdict") for e in by_group[g]}
        assert verdicts == {"pass", "fail"}, f"want {g}_ entries that pass and that fail: {sizes}"


def test_every_variant_and_mistake_is_in_the_corpus():
    # optax's and Keras' variants judge only their frameworks' optimizers, which the checker's
    # worker cannot load yet (issue 13's adapter): their entries come with it
    variants = {rule.name for fam in spec.families() for rule in fam.variants
                if rule.api not in ("optax", "keras")}
    shown = {e.expected["variant"] for e in ENTRIES if "variant" in e.expected}
    assert variants <= shown, f"variants with no passing entry: {sorted(variants - shown)}"
    named = {e.expected["mistake"] for e in ENTRIES if "mistake" in e.expected}
    missing = [m.name for m in MISTAKES if m.name not in UNNAMEABLE
               and not any(n == m.name or n.startswith(m.name + "-") for n in named)]
    assert not missing, f"mistakes of spec/mistakes.py with no entry: {missing}"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_expected_is_well_formed(entry):
    e, where = entry.expected, entry.path.name
    assert set(e) <= KEYS, f"{where}: unknown keys {sorted(set(e) - KEYS)}; known: {sorted(KEYS)}"
    assert entry.group in GROUPS, f"{where}: the file name must start with one of {GROUPS}"
    assert isinstance(e.get("class"), str) and e["class"].isidentifier(), f"{where}: class"
    # the target: a class, or for the CS231n API a function (`"class": "adam"`)
    kind = "def" if entry.group == "cs231n" or e.get("api") == "cs231n" else "class"
    assert re.search(rf"^{kind} {re.escape(e['class'])}\b", entry.path.read_text(), re.M), \
        f"{where}: no `{kind} {e['class']}` at the top level of the file"
    if "api" in e:
        assert e["api"] in APIS, f"{where}: api must be one of {APIS}"
    if "requires" in e:
        assert e["requires"] in OPTIONAL, f"{where}: requires must be one of {OPTIONAL}"
    if entry.group == "torch":
        assert e.get("requires") == "torch", f"{where}: a torch_ entry says \"requires\": \"torch\""
    assert e.get("verdict") in ("pass", "fail"), f"{where}: verdict must be 'pass' or 'fail'"
    assert isinstance(e.get("why"), str) and e["why"].strip(), f"{where}: say why, in one sentence"
    if "rule" in e:
        assert e["rule"] in {f.name for f in spec.families()}, f"{where}: unknown rule {e['rule']}"
    if entry.passes:
        assert not entry.kinds() and "mistake" not in e, f"{where}: a pass has no kind or mistake"
        assert entry.group != "hostile", f"{where}: a hostile entry never passes"
    else:
        assert entry.kinds() and set(entry.kinds()) <= set(KINDS), \
            f"{where}: a fail needs a kind among {KINDS}"
        assert "variant" not in e, f"{where}: only a pass names its variant"
    if "mistake" in e:
        names = {m.name for m in MISTAKES}
        assert any(e["mistake"] == n or e["mistake"].startswith(n + "-") for n in names), \
            f"{where}: {e['mistake']!r} is no mistake of spec/mistakes.py ({sorted(names)})"
    for aspect in ASPECTS:
        if f"xfail_{aspect}" in e:
            assert aspect in e or (aspect == "verdict"), \
                f"{where}: xfail_{aspect} without the {aspect} it is about"


# -- each aspect of each entry -----------------------------------------------------------


@pytest.mark.parametrize("entry", params_for("verdict", ENTRIES))
def test_verdict(runner, entry):
    r = judged(runner, entry)
    want = entry.expected["verdict"]
    expect(r.report.get("verdict") == want, r, f"verdict {want}",
           f"{r.report.get('verdict')}: {[(f['kind'], f['message'].splitlines()[0]) for f in r.failing()]}")
    expect(r.returncode == (0 if want == "pass" else 1), r,
           f"exit {0 if want == 'pass' else 1}", f"exit {r.returncode}")


FAILS = [e for e in ENTRIES if not e.passes]


@pytest.mark.parametrize("entry", params_for("kind", FAILS))
def test_kind(runner, entry):
    r = judged(runner, entry)
    kinds = entry.kinds()
    expect(any(k in kinds for k in r.failed_kinds()), r,
           f"a failing finding of kind {' or '.join(kinds)}", r.failed_kinds())


@pytest.mark.parametrize("entry", params_for("says", having("says")))
def test_says(runner, entry):
    r = judged(runner, entry)
    text = entry.expected["says"]
    hits = [f for f in r.failing() if f["kind"] in entry.kinds()]
    expect(any(text in f["message"] for f in hits), r,
           f"the {'/'.join(entry.kinds())} finding to say {text!r}", [f["message"] for f in hits])


@pytest.mark.parametrize("entry", params_for("not_kinds", having("not_kinds")))
def test_not_kinds(runner, entry):
    r = judged(runner, entry)
    wrong = [f for f in r.failing() if f["kind"] in entry.expected["not_kinds"]]
    expect(not wrong, r, f"no failing finding of kind {entry.expected['not_kinds']}",
           [(f["kind"], f["property"], f["message"].splitlines()[0]) for f in wrong])


def _warned(r: Result) -> list[str]:
    return [f["message"] for f in r.report.get("findings", []) if f.get("status") == "warn"] \
        + list(r.report.get("warnings", []))


@pytest.mark.parametrize("entry", params_for("warns", having("warns")))
def test_warns(runner, entry):
    r = judged(runner, entry)
    text = entry.expected["warns"]
    expect(any(text in m for m in _warned(r)), r, f"a warning that says {text!r}", _warned(r))


@pytest.mark.parametrize("entry", params_for("not_warns", having("not_warns")))
def test_not_warns(runner, entry):
    r = judged(runner, entry)
    text = entry.expected["not_warns"]
    wrong = [m for m in _warned(r) if text in m]
    expect(not wrong, r, f"no warning that says {text!r}", wrong)


@pytest.mark.parametrize("entry", params_for("variant", having("variant")))
def test_variant(runner, entry):
    r = judged(runner, entry)
    want = entry.expected["variant"]
    expect(r.report.get("variant") == want, r, f"variant {want}",
           f"{r.report.get('variant')} (warnings: {r.report.get('warnings')})")


def _mistake_id(r: Result) -> str | None:
    """The mistake with its suffix as the finding's details give it (``decays-swapped-h``)."""
    for f in r.failing():
        variant = f.get("details", {}).get("mistake_variant")
        if variant and "+" in variant:
            return variant.split("+", 1)[1]
    return None


@pytest.mark.parametrize("entry", params_for("mistake", having("mistake")))
def test_mistake(runner, entry):
    r = judged(runner, entry)
    want = entry.expected["mistake"]
    named = r.report.get("mistake") or {}
    got = named.get("name")
    full = _mistake_id(r)
    # mistakes that give the very same numbers are listed as equivalent: either is right
    ok = got is not None and (want == got or (want == full and full.startswith(got))
                              or want in named.get("equivalent", []))
    expect(ok, r, f"the mistake {want}", f"mistake {got!r} ({full}), "
           f"findings {[(f['kind'], f['message'].splitlines()[0]) for f in r.failing()]}")


@pytest.mark.parametrize("entry", params_for("inferred", having("inferred")))
def test_inferred(runner, entry):
    r = judged(runner, entry)
    want = entry.expected["inferred"]
    got = r.report.get("inferred")
    expect(got == want, r, f"exactly the inferred constants {want}",
           f"{got} (hyperparameters: {r.report.get('hyperparameters')})")


HOSTILE = [e for e in ENTRIES if e.group == "hostile"]


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id, marks=pytest.mark.xdist_group(
    f"corpus{SHARD[e.id]}")) for e in HOSTILE])
def test_hostile_never_passes(runner, entry):
    r = runner.get(entry)
    expect(r.returncode is not None, r, f"the run to end within {LIMIT:g} s", "it was killed")
    expect(r.returncode != 0 and (r.report or {}).get("verdict") != "pass", r,
           "anything but a pass", f"exit {r.returncode}, verdict {(r.report or {}).get('verdict')}")
