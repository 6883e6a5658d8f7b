"""The worker's sandbox: Linux namespaces entered before the target is imported.

Loaded by path from ``_worker.py`` (``python -I`` keeps the package off ``sys.path``), so
it imports nothing but the standard library, and it runs before any code under test.

What the target gets, when the kernel allows it (``enter``)::

    checker ── worker (supervisor: runs no target code, host namespaces)
                 └── init of a new PID namespace ── the target, and all it starts
                     new mount, network, IPC and UTS namespaces
                     a root of its own: /usr, /lib*, /etc's loader files, Python and its
                     packages, the checker's folder, the target's own folder, all read-only;
                     a fresh /proc showing only the sandbox, a minimal /dev, and a private
                     writable /tmp (tmpfs, size-limited); nothing else of the host
                     an unprivileged uid/gid of its own (root runs it as 1000000 + pid;
                     anyone else in a user namespace, every capability dropped)
                     no_new_privs; limits on processes, open files and file size

Nothing survives it: the init dies with the supervisor (PR_SET_PDEATHSIG), and when the
init of a PID namespace dies the kernel kills every process in it, however it detached
(``setsid``, double fork). The parent keeps a pidfd of the init and waits for it before it
writes a verdict.

Where namespaces cannot be had (not Linux, or a container whose seccomp policy refuses
``unshare``), ``enter`` changes nothing and says why; the report says so too.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC = 32, 1024, 2048, 4096, 16384
MS_PRIVATE, MS_RELATIME, MS_STRICTATIME = 1 << 18, 1 << 21, 1 << 24
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
_ST_FLAGS = ((os.ST_NOEXEC, MS_NOEXEC), (os.ST_NOATIME, MS_NOATIME),
             (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME)) \
    if sys.platform.startswith("linux") else ()
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}

UID_BASE = 1_000_000  # root runs each sandbox as UID_BASE + the supervisor's pid: its own uid
TMP_MB, ROOT_MB = 64, 160  # the private /tmp, and the root (mount points and snapshots)
SNAPSHOT_FILES, SNAPSHOT_BYTES, SNAPSHOT_FILE_BYTES = 2000, 64 << 20, 16 << 20
LIMITS = {"NPROC": 64, "NOFILE": 256, "FSIZE": 64 << 20}
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
          "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
          "/sys/devices/system/cpu")  # the last: CPU counts for BLAS and torch, nothing more
DEVICES = ("null", "zero", "full", "random", "urandom")


class SetupError(Exception):
    """The sandbox could not be set up; the message says which step and why."""


_libc = None


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
        _libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
        _libc.unshare.argtypes = [ctypes.c_int]
        _libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
        _libc.sethostname.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return _libc


def _ok(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(err)} (errno {err})")


def _b(s):
    return None if s is None else os.fsencode(s)


def _mount(source, target, fstype, flags, data=None) -> None:
    _ok(_c().mount(_b(source), _b(target), _b(fstype), flags, _b(data)),
        f"mount {source or fstype} on {target}")


def _write_file(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def plan(expose: list[str], private: list[str] = ()) -> list[str]:
    """The host paths to show read-only: the system's, and these, that exist, deduplicated.

    ``private`` are those among them that are the target's own (its folder): where the
    sandbox's uid may not read them, a copy is shown instead.
    """
    paths = []
    for p in list(SYSTEM) + [os.path.abspath(p) for p in [*expose, *private]
                             if isinstance(p, str) and p]:
        if os.path.lexists(p) and p not in paths:
            paths.append(p)
    paths.sort(key=lambda p: (p.count(os.sep), p))
    kept: list[str] = []
    for p in paths:  # a path inside one already shown is shown with it (unless that one
        # may become a copy, which need not hold it): mounted later, so on top
        if not any(p.startswith(k.rstrip(os.sep) + os.sep) for k in kept
                   if not os.path.islink(k) and k not in private):
            kept.append(p)
    return kept


def _others_can_read(path: str) -> bool:
    """Can an unrelated uid read ``path`` (and list it, for a folder)?"""
    try:
        st = os.stat(path)
    except OSError:
        return False
    need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(st.st_mode) else 0)
    return st.st_mode & need == need


def _snapshot(src: str, dst: str) -> str | None:
    """Copy a folder the sandbox's uid could not read; returns a note if it was cut short."""
    files = size = 0
    cut = None
    for folder, dirs, names in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel = os.path.relpath(folder, src)
        out = os.path.normpath(os.path.join(dst, rel))
        os.makedirs(out, mode=0o755, exist_ok=True)
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode) or st.st_size > SNAPSHOT_FILE_BYTES:
                continue
            if files >= SNAPSHOT_FILES or size + st.st_size > SNAPSHOT_BYTES:
                cut = f"{src} copied in part ({files} files, {size >> 20} MiB)"
                break
            shutil.copyfile(path, os.path.join(out, name))
            os.chmod(os.path.join(out, name), 0o644)
            files, size = files + 1, size + st.st_size
        if cut:
            break
    return cut


def _mount_flags(path: str) -> int:
    """A read-only remount must keep the flags the host mount has (a user namespace may not
    drop them) and adds nosuid, nodev."""
    flags = MS_NOSUID | MS_NODEV
    try:
        f = os.statvfs(path).f_flag
    except OSError:
        return flags
    for st_flag, ms_flag in _ST_FLAGS:
        if f & st_flag:
            flags |= ms_flag
    return flags


def _bind(source_fd: int, host: str, target: str, *, rdonly: bool = True, dev: bool = False
          ) -> None:
    _mount(f"/proc/self/fd/{source_fd}", target, None, MS_BIND | MS_REC)
    flags = MS_REMOUNT | MS_BIND | _mount_flags(host) | (MS_RDONLY if rdonly else 0)
    if dev:
        flags &= ~MS_NODEV
    _mount(None, target, None, flags)


def _make_point(target: str, is_dir: bool) -> None:
    if is_dir:
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        if not os.path.exists(target):
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))


def _build_root(root: str, paths: list[str], private: set[str], notes: list[str]) -> None:
    """Mount the new root's contents at ``root`` (a fresh tmpfs, the host's /tmp hidden)."""
    # Sources are opened before the tmpfs covers the staging folder, and bound through
    # /proc/self/fd, so a target folder under /tmp is still reachable.
    fds = {}
    try:
        for p in paths:
            if not os.path.islink(p):
                fds[p] = os.open(p, os.O_PATH | os.O_CLOEXEC)
        dev_fds = {d: os.open(f"/dev/{d}", os.O_PATH | os.O_CLOEXEC) for d in DEVICES
                   if os.path.exists(f"/dev/{d}")}
        _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={ROOT_MB}m,mode=0755")
        # the private /tmp first: a target folder under the host's /tmp is shown inside it
        os.makedirs(root + "/tmp", mode=0o755)
        _mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={TMP_MB}m,mode=1777")
        for p in paths:
            target = root + p
            if os.path.islink(p):  # /bin -> usr/bin on a merged /usr
                os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
                os.symlink(os.readlink(p), target)
                continue
            is_dir = stat.S_ISDIR(os.stat(f"/proc/self/fd/{fds[p]}").st_mode)
            _make_point(target, is_dir)
            if p in private and is_dir and not _others_can_read(f"/proc/self/fd/{fds[p]}"):
                note = _snapshot(f"/proc/self/fd/{fds[p]}", target)  # 0700 folders (pytest's)
                notes.append(f"{p} is not readable by the sandbox's uid: a read-only copy is shown"
                             + (f" ({note})" if note else ""))
                continue
            _bind(fds[p], p, target)
        os.makedirs(root + "/dev", mode=0o755)
        _mount("tmpfs", root + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755")
        for d, fd in dev_fds.items():
            _make_point(f"{root}/dev/{d}", False)
            _bind(fd, f"/dev/{d}", f"{root}/dev/{d}", rdonly=False, dev=True)
        for name, to in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
            os.symlink(to, f"{root}/dev/{name}")
        os.makedirs(root + "/dev/shm", mode=0o755, exist_ok=True)
        _mount("tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
        os.makedirs(root + "/proc", mode=0o555, exist_ok=True)
    finally:
        for fd in [*fds.values(), *locals().get("dev_fds", {}).values()]:
            os.close(fd)


def _pivot(root: str) -> None:
    number = _PIVOT_ROOT.get(os.uname().machine)
    os.chdir(root)
    if number is not None and _c().syscall(number, b".", b".") == 0:
        _ok(_c().umount2(b".", MNT_DETACH), "detach the host's root")
    else:  # chroot is enough once no capability is left to leave it
        os.chroot(".")
    os.chdir("/")


def _drop_capabilities() -> None:
    for cap in range(64):
        if _c().prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    data = (Data * 2)()
    _ok(_c().capset(ctypes.byref(Header(0x20080522, 0)), data), "drop capabilities")


def _apply_limits() -> None:
    import resource

    for name, value in LIMITS.items():
        which = getattr(resource, f"RLIMIT_{name}")
        hard = resource.getrlimit(which)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))


def _cgroup_mounts() -> dict[str, str]:
    """Where the memory and pids controllers are mounted: {"memory": dir, "pids": dir}, a
    cgroup v1 hierarchy each, or both the unified (v2) one."""
    found: dict[str, str] = {}
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                left, _, right = line.partition(" - ")
                fstype, _, options = (right.split() + ["", "", ""])[:3]
                point = left.split()[4]
                if fstype == "cgroup":
                    for c in ("memory", "pids"):
                        if c in options.split(","):
                            found.setdefault(c, point)
                elif fstype == "cgroup2":
                    found.setdefault("unified", point)
    except OSError:
        pass
    return found


def _cgroups(host_pid: int, memory_bytes: int | None, pids: int) -> tuple[list[str], str | None]:
    """Put this process in cgroups of its own that cap the sandbox's total memory and its
    number of processes (the rlimits cap each process alone). Returns the folders made (for
    the parent to remove) and, when it could not, why."""
    mounts, made, own = _cgroup_mounts(), [], {}
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                for c in controllers.split(",") if controllers else ["unified"]:
                    own[c] = path
    except OSError as e:
        return [], f"no cgroups: {e}"
    limits = {"memory": ("memory.limit_in_bytes", memory_bytes), "pids": ("pids.max", pids)}
    plan = [(c, mounts[c], own.get(c, "/"), *limits[c]) for c in ("memory", "pids")
            if c in mounts]
    if len(plan) < 2 and "unified" in mounts:  # cgroup v2: one folder, both limits
        plan = [("unified", mounts["unified"], own.get("unified", "/"),
                 ("memory.max", memory_bytes), ("pids.max", pids))]
    why = None
    for c, mount, path, *settings in plan:
        if c != "unified":
            settings = [tuple(settings)]
        folder = os.path.join(mount + path.rstrip("/"), f"optimizer-checker-{host_pid}")
        try:
            os.mkdir(folder, 0o755)
            made.append(folder)
            for name, value in settings:
                if value is not None:
                    _write_file(os.path.join(folder, name), str(value))
            _write_file(os.path.join(folder, "cgroup.procs"), "0")  # this process
        except OSError as e:
            why = f"{c} cgroup not set ({folder}: {e.strerror})"
    if not plan:
        why = "no memory or pids cgroup controller is mounted"
    return made, why


def _inner(root_mode: bool, uid: int, gid: int, paths: list[str], private: set[str],
           cwd: str | None, host_pid: int = 0, memory_bytes: int | None = None
           ) -> tuple[str, list[str], list[str]]:
    """In the new PID namespace, before anything else: mounts, root, identity, limits."""
    notes: list[str] = []
    cgroups: list[str] = []
    why = "not as a user"
    if root_mode:  # the sum over all its processes: the rlimits bound each one alone
        cgroups, why = _cgroups(host_pid, memory_bytes, LIMITS["NPROC"])
        if why:
            notes.append(why)
    private = private if root_mode else set()  # same uid as the checker: it can read them
    _ok(_c().unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS),
        "unshare mount, network, IPC and UTS namespaces")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    stage = "/tmp"
    _build_root(stage, paths, private, notes)
    try:
        _mount("proc", stage + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except SetupError as e:  # a user namespace in a container that masks parts of /proc
        notes.append(f"no /proc in the sandbox ({e})")
    _pivot(stage)
    _mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _c().sethostname(b"sandbox", 7)  # best effort: a failure changes nothing that matters
    if root_mode:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)  # from root to another uid: every capability goes
        # the kernel clears the parent-death signal when the uid changes: without it again,
        # killing the worker would leave this init running until its channel closes
        _c().prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    else:
        _drop_capabilities()
    _ok(_c().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs")
    _apply_limits()
    os.environ["HOME"] = os.environ["TMPDIR"] = "/tmp"
    try:
        os.chdir(cwd if cwd else "/tmp")
    except OSError:
        os.chdir("/tmp")
    capped = "; memory and processes capped in all (cgroups)" if cgroups and not why else ""
    return (f"namespaces (pid, mount, network, IPC, UTS{'' if root_mode else ', user'}); "
            f"uid {os.getuid()}; read-only files but a private /tmp; no network{capped}"), \
        notes, cgroups


def enter(expose: list[str], private: list[str], keep_fds: tuple[int, ...],
          parent_pid: int, memory_bytes: int | None = None) -> dict:
    """Move this process's work into a sandbox, or say why not.

    Returns in the sandboxed process (or, when no sandbox could be had, in this very
    process) a dict with ``sandbox`` (a description, or ``"none: why"``), ``notes`` and
    ``init_pid`` (the sandbox's init as the parent sees it; None without a sandbox).

    Three processes: this one (P) forks a supervisor (A), which unshares the PID (and, not
    as root, user) namespace and forks the init (B) that returns here. A process that
    unshared a PID namespace can no longer start threads, so P stays untouched, to go on
    unsandboxed if A or B fail before any target code runs.
    """
    if not sys.platform.startswith("linux"):
        return {"sandbox": f"none: namespaces are Linux's, this is {sys.platform}", "notes": []}
    root_mode = os.geteuid() == 0
    private = [os.path.abspath(p) for p in private]
    paths = plan(expose, private)
    back_r, back_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    a = os.fork()
    if a == 0:
        os.close(back_r)
        box = _supervisor(root_mode, paths, set(private), back_w, memory_bytes)
        if box is not None:  # B: the sandbox's init
            return box
        os._exit(0)  # never reached: the supervisor leaves through os._exit
    os.close(back_w)
    answer = b""
    while answer != b"ok":
        chunk = os.read(back_r, 4096)
        if not chunk:
            break
        answer += chunk
    os.close(back_r)
    if answer != b"ok":  # nothing of the target ran: go on here, unsandboxed, and say why
        os.waitpid(a, 0)
        return {"sandbox": answer.decode("utf-8", "replace") or "none: the sandbox setup died",
                "notes": []}
    _wait_for(a, keep_fds, parent_pid)


def _supervisor(root_mode: bool, paths: list[str], private: set[str], back_w: int,
                memory_bytes: int | None):
    """A: new namespaces, then the init B; returns B's box in B, never returns in A."""
    _c().prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    uid, gid = os.getuid(), os.getgid()
    try:
        _ok(_c().unshare(CLONE_NEWPID | (0 if root_mode else CLONE_NEWUSER)),
            "unshare" + (" a user and" if not root_mode else " a") + " PID namespace")
        if not root_mode:
            _write_file("/proc/self/setgroups", "deny")
            _write_file("/proc/self/uid_map", f"{uid} {uid} 1")
            _write_file("/proc/self/gid_map", f"{gid} {gid} 1")
        sync_r, sync_w = os.pipe()
        b = os.fork()
    except (SetupError, OSError) as e:
        os.write(back_w, f"none: {e}".encode()[:4000])
        os._exit(71)
    if b == 0:
        os.close(sync_w)
        _c().prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
        told = os.read(sync_r, 64)
        os.close(sync_r)
        if not told:  # A died before we could ask to die with it
            os._exit(70)
        try:
            if root_mode:
                uid = gid = UID_BASE + int(told)
            here = os.getcwd()
            shown = here in paths or any(here.startswith(p.rstrip(os.sep) + os.sep)
                                         for p in paths)
            desc, notes, cgroups = _inner(root_mode, uid, gid, paths, private,
                                          here if shown else None, int(told), memory_bytes)
        except BaseException as e:  # noqa: BLE001 - P goes on without a sandbox and says why
            os.write(back_w, f"none: sandbox setup failed: {e}".encode()[:4000])
            os._exit(71)
        os.write(back_w, b"ok")
        os.close(back_w)
        return {"sandbox": desc, "notes": notes, "init_pid": int(told), "cgroups": cgroups}
    os.close(sync_r)
    os.write(sync_w, str(b).encode())
    os.close(sync_w)
    os.close(back_w)
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            _, status = os.waitpid(b, 0)
            break
        except InterruptedError:
            continue
    _exit_like(status)


def _exit_like(status: int) -> None:
    import signal

    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # killed by a signal: die the same way, so the parent sees it
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code)


def _wait_for(a: int, keep_fds: tuple[int, ...], parent_pid: int) -> None:
    """P, outside the sandbox: hold nothing the sandbox needs, die with the checker, end
    with A (whose death takes B, and with it the whole namespace)."""
    import signal
    import threading
    import time

    for fd in keep_fds:  # the channel is B's; an open copy here would hide its EOF
        os.close(fd)
    _c().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)

    def stop(*_):
        try:
            os.kill(a, signal.SIGKILL)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, lambda *_: (stop(), os._exit(143)))

    def watch():
        while True:
            time.sleep(0.2)
            if os.getppid() != parent_pid:
                stop()
                os._exit(70)

    threading.Thread(target=watch, daemon=True).start()
    while True:
        try:
            _, status = os.waitpid(a, 0)
            break
        except InterruptedError:
            continue
    _exit_like(status)
