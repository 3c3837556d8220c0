"""Per-file result cache: `.logcheck_cache/` next to the nearest `pyproject.toml`.

An entry maps a key to what checking one file produced (its diagnostics, the one-line
errors that are not findings, and its line count). The key covers everything that can
change that result:

- the file's content (BLAKE2b of its bytes) and its absolute path and display name
  (`allow-print` and `per-file-ignores` match paths; diagnostics carry the display name);
- what `logcheck.semantics.purpose` reads besides the file (the project's entry points, whether the
  file is a migration), via `purpose.fingerprint`;
- the effective settings, taken from the raw `Settings` fields, so that a warm run never
  has to import the rules to expand `select` (see `settings_key`);
- logcheck itself: its version, the Python version, and a fingerprint (name, size,
  modification time) of every module of the installed package, so that editing a rule
  during development invalidates results too.

Storage is a single pack file (fast to load for thousands of files) that is only ever
replaced atomically (temporary file + `os.replace`), so a reader sees either the old or
the new pack, never a torn one. Writers merge their new entries into the pack that is on
disk at the time, under an exclusive `flock` on a lock file, so two runs sharing the
cache lose nothing. The pack is bounded: past `MAX_ENTRIES` entries or `MAX_BYTES` bytes
the least recently used entries are dropped. A pack that cannot be read (another Python,
a damaged file) is treated as empty and replaced.

This module imports neither libcst nor any rule: a run where every file is a cache hit
stays cheap.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

try:  # the module hashlib takes blake2b from, without hashlib's OpenSSL import (2 ms of a warm run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

from logcheck import __version__
from logcheck.config_model.deployment_files import LISTING_PREFIX, listing_digest
from logcheck.diagnostics import Diagnostic, Edit, FixInfo

CACHE_DIR_NAME = ".logcheck_cache"
#: format of the pack (bump when the entry layout changes)
FORMAT = 2
PACK_NAME = f"results-v{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}.bin"
STATS_NAME = f"stats-v{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}.bin"
LOCK_NAME = "lock"
#: a file whose modification time is this close to when its stat was recorded may change
#: again within the same timestamp tick: its stat is not trusted (git's "racy" rule)
RACY_NS = 2_000_000_000
MAX_ENTRIES = 100_000
MAX_BYTES = 64 * 1024 * 1024

# --------------------------------------------------------------------------- where


def find_cache_dir(start: Optional[Path] = None) -> Path:
    """`.logcheck_cache` next to the nearest `pyproject.toml` at or above `start`
    (the working folder by default); without one, in `start` itself."""
    start = Path(start or Path.cwd()).absolute()
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder / CACHE_DIR_NAME
    return start / CACHE_DIR_NAME


# --------------------------------------------------------------------------- keys


_FINGERPRINT: Optional[str] = None


def code_fingerprint() -> str:
    """Identifies the logcheck that produces results: version, Python, and the name, size
    and modification time of every file of the package (cheap: a few dozen stats)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        h = blake2b(digest_size=16)
        h.update(f"{__version__}\0{sys.version}\0{FORMAT}\0".encode())
        root = Path(__file__).resolve().parent.parent  # the whole logcheck package
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(Path(entry.path))
                elif entry.name.endswith((".py", ".md", ".json", ".toml")):
                    st = entry.stat()
                    h.update(f"{os.path.relpath(entry.path, root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


#: Settings fields that cannot change a file's result
_NOT_IN_KEY = frozenset({"origin", "output_format", "exclude", "extend_exclude"})
_SETTINGS_KEYS: Dict[int, Tuple[object, bytes]] = {}


def settings_key(settings) -> bytes:
    """The effective settings as bytes, from the raw fields (every field of `Settings`
    except those in `_NOT_IN_KEY`, so a field added later is part of the key)."""
    cached = _SETTINGS_KEYS.get(id(settings))
    if cached is not None and cached[0] is settings:
        return cached[1]
    parts = [(f.name, _canonical(getattr(settings, f.name))) for f in dataclasses.fields(settings)
             if f.name not in _NOT_IN_KEY]
    key = blake2b(repr(parts).encode(), digest_size=16).digest()
    _SETTINGS_KEYS[id(settings)] = (settings, key)
    return key


def _canonical(value):
    """A structure whose repr is the same in every process (no set order, which depends on
    string hash randomisation)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple(
            (f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value))
    if isinstance(value, (set, frozenset)):
        return ("set",) + tuple(sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, dict):
        return ("dict",) + tuple(sorted(((repr(_canonical(k)), _canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def content_digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def stat_locator(settings, path: Path, display: str, want_edits: bool) -> bytes:
    """Everything in an entry key but the file's content: where the stat index keeps the
    size and modification time under which that content was last seen."""
    h = _locator_prefix(settings).copy()
    h.update(os.fsencode(os.path.abspath(path)))
    h.update(b"\0")
    h.update(display.encode("utf-8", "surrogateescape"))
    h.update(b"\1" if want_edits else b"\0")
    return h.digest()


_PREFIXES: Dict[int, Tuple[object, blake2b]] = {}


def _locator_prefix(settings):
    """The hash state after the parts every file with these settings shares (hashed once)."""
    cached = _PREFIXES.get(id(settings))
    if cached is None or cached[0] is not settings:
        h = blake2b(digest_size=16)
        h.update(code_fingerprint().encode())
        h.update(settings_key(settings))
        cached = _PREFIXES[id(settings)] = (settings, h)
    return cached[1]


def entry_key(settings, path: Path, display: str, digest: bytes, want_edits: bool) -> bytes:
    h = blake2b(digest_size=16)
    h.update(code_fingerprint().encode())
    h.update(settings_key(settings))
    from logcheck.semantics.purpose import fingerprint  # here: a run answered by stat never needs it

    h.update(fingerprint(path))  # entry points and migration folders are read from disk
    h.update(os.fsencode(os.path.abspath(path)))
    h.update(b"\0")
    h.update(display.encode("utf-8", "surrogateescape"))
    h.update(b"\1" if want_edits else b"\0")
    h.update(digest)
    return h.digest()


# --------------------------------------------------------------------------- entries


@dataclasses.dataclass(frozen=True)
class Entry:
    diagnostics: Tuple[Diagnostic, ...]
    errors: Tuple[str, ...]
    lines: int
    #: (path, content digest) of the project modules the result depended on (imports the
    #: semantic layer followed): the entry holds only while each is unchanged
    dependencies: Tuple[Tuple[str, bytes], ...] = ()

    def dependencies_unchanged(self, seen: Dict[str, Optional[bytes]]) -> bool:
        """Each dependency still has the content it had; `seen` memoises digests for one
        run (many files depend on the same module)."""
        for path, digest in self.dependencies:
            if path not in seen:
                seen[path] = file_digest(path)
            if seen[path] != digest:
                return False
        return True


def file_digest(path: str) -> Optional[bytes]:
    if path.startswith(LISTING_PREFIX):  # the deployment files below a folder, as a whole
        return listing_digest(path)
    try:
        with open(path, "rb") as handle:
            return content_digest(handle.read())
    except OSError:
        return None


def dependency_digests(paths, seen: Optional[Dict[str, Optional[bytes]]] = None) -> Tuple[Tuple[str, bytes], ...]:
    """(path, digest) of each dependency; `seen` memoises digests for one run."""
    seen = {} if seen is None else seen
    for p in paths:
        if p not in seen:
            seen[p] = file_digest(p)
    return tuple((p, seen[p] or b"") for p in paths)


def _diag_to_plain(d: Diagnostic) -> tuple:
    fix = None
    if d.fix is not None:
        fix = (d.fix.applicability, d.fix.message,
               tuple((e.content, e.row, e.col, e.end_row, e.end_col) for e in d.fix.edits))
    return (d.path, d.code, d.name, d.message, d.row, d.col, d.end_row, d.end_col, fix, d.noqa_row)


def _diag_from_plain(t: tuple) -> Diagnostic:
    path, code, name, message, row, col, end_row, end_col, fix, noqa_row = t
    info = None
    if fix is not None:
        info = FixInfo(fix[0], fix[1], tuple(Edit(*e) for e in fix[2]))
    return Diagnostic(path, code, name, message, row, col, end_row, end_col, info, noqa_row)


def _to_plain(entry: Entry) -> tuple:
    return (tuple(_diag_to_plain(d) for d in entry.diagnostics), tuple(entry.errors), entry.lines,
            tuple(entry.dependencies))


def _from_plain(value: tuple) -> Entry:
    diags, errors, lines, dependencies = value
    return Entry(tuple(_diag_from_plain(d) for d in diags), tuple(errors), lines, tuple(dependencies))


# --------------------------------------------------------------------------- the cache


class ResultCache:
    """Load once, look up many, save the new entries once (merging with what is on disk)."""

    def __init__(self, folder: Path, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: key -> (last used, plain entry)
        self._entries: Optional[Dict[bytes, Tuple[float, tuple]]] = None
        self._new: Dict[bytes, tuple] = {}
        self._used: List[bytes] = []
        self._now = time.time()
        #: stat index: locator -> (size, mtime_ns, entry key, recorded at ns)
        self._stats: Optional[Dict[bytes, tuple]] = None
        self._new_stats: Dict[bytes, tuple] = {}

    @property
    def pack(self) -> Path:
        return self.folder / PACK_NAME

    # reading

    def _read_pack(self) -> Dict[bytes, Tuple[float, tuple]]:
        try:
            with open(self.pack, "rb") as fh:
                data = fh.read()
        except OSError:
            return {}
        try:
            value = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return {}
        if not isinstance(value, dict):
            return {}
        return value

    def _loaded(self) -> Dict[bytes, Tuple[float, tuple]]:
        if self._entries is None:
            self._entries = self._read_pack()
        return self._entries

    def _read_stats(self) -> Dict[bytes, tuple]:
        try:
            with open(self.folder / STATS_NAME, "rb") as fh:
                value = marshal.loads(fh.read())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return value if isinstance(value, dict) else {}

    def key_for_stat(self, locator: bytes, stat: Tuple[int, int]) -> Optional[bytes]:
        """The entry key recorded for a file whose (size, modification time in ns) is
        `stat`, or None (then the caller reads and hashes it). A stat recorded while the file
        could still change within its timestamp tick is not trusted."""
        if self._stats is None:
            self._stats = self._read_stats()
        found = self._stats.get(locator)
        if found is None or len(found) != 4:
            return None
        size, mtime_ns, key, recorded = found
        if (size, mtime_ns) != tuple(stat) or recorded - mtime_ns < RACY_NS:
            return None
        return key

    def record_stat(self, locator: bytes, stat: Tuple[int, int], key: bytes) -> None:
        if self._stats is None:
            self._stats = self._read_stats()
        size, mtime_ns = stat
        known = self._stats.get(locator)
        if known is not None and known[:3] == (size, mtime_ns, key) and known[3] - mtime_ns >= RACY_NS:
            return
        self._new_stats[locator] = (size, mtime_ns, key, time.time_ns())

    def remembering(self, question: Callable[[Path], bool]) -> Callable[[Path], bool]:
        """`question(path)` (a yes/no question about a file's content, such as "is this
        JSON file a logging configuration?", which discovery asks of every candidate),
        answered from the stat index while the file's size and modification time are what
        they were when it was last answered by this logcheck."""
        name = f"{question.__module__}.{question.__qualname__}\0{code_fingerprint()}\0".encode()

        def ask(path: Path) -> bool:
            try:
                st = os.stat(path)
            except OSError:
                return question(path)
            stat = (st.st_size, st.st_mtime_ns)
            locator = blake2b(name + os.fsencode(os.path.abspath(path)), digest_size=16).digest()
            known = self.key_for_stat(locator, stat)
            if known in (b"yes", b"no"):
                return known == b"yes"
            answer = question(path)
            self.record_stat(locator, stat, b"yes" if answer else b"no")
            return answer

        return ask

    def get(self, key: bytes) -> Optional[Entry]:
        found = self._loaded().get(key)
        if found is None:
            return None
        try:
            entry = _from_plain(found[1])
        except (TypeError, ValueError, IndexError):
            return None
        self._used.append(key)
        return entry

    def __len__(self) -> int:
        return len(self._loaded())

    # writing

    def put(self, key: bytes, entry: Entry) -> None:
        self._new[key] = _to_plain(entry)

    @property
    def dirty(self) -> bool:
        return bool(self._new or self._new_stats)

    def save(self) -> None:
        """Merge the new entries (and the last-use time of the entries used) into the pack
        on disk. Nothing is written when nothing is new: a fully warm run stays read-only.
        Errors (read-only folder, full disk) are ignored: the cache is only an optimisation."""
        if not self.dirty:
            return
        try:
            self._ensure_folder()
            with _Lock(self.folder / LOCK_NAME):
                if self._new:
                    merged = self._read_pack()
                    for key in self._used:
                        if key in merged:
                            merged[key] = (self._now, merged[key][1])
                    for key, value in self._new.items():
                        merged[key] = (self._now, value)
                    data = self._bounded(merged)
                    self._write(data)
                if self._new_stats:
                    stats = self._read_stats()
                    stats.update(self._new_stats)
                    if len(stats) > self.max_entries:
                        stats = dict(list(stats.items())[-self.max_entries:])
                    _atomic_write(self.folder / STATS_NAME, marshal.dumps(stats))
        except OSError:
            return
        self._entries = None
        self._stats = None
        self._new.clear()
        self._new_stats.clear()
        self._used.clear()

    def _bounded(self, merged: Dict[bytes, Tuple[float, tuple]]) -> bytes:
        if len(merged) > self.max_entries:
            merged = _newest(merged, self.max_entries)
        data = marshal.dumps(merged)
        while len(data) > self.max_bytes and merged:
            merged = _newest(merged, len(merged) // 2)
            data = marshal.dumps(merged)
        return data

    def _ensure_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            _atomic_write(ignore, b"# created by logcheck: this folder is a cache\n*\n")

    def _write(self, data: bytes) -> None:
        _atomic_write(self.pack, data)

    def clear(self) -> None:
        for path in (self.pack, self.folder / STATS_NAME):
            try:
                path.unlink()
            except OSError:
                pass
        self._entries = None
        self._stats = None


def _newest(entries: Dict[bytes, Tuple[float, tuple]], count: int) -> Dict[bytes, Tuple[float, tuple]]:
    keep = sorted(entries.items(), key=lambda kv: kv[1][0], reverse=True)[:count]
    return dict(keep)


def _atomic_write(path: Path, data: bytes) -> None:
    import tempfile  # here: only writes need it, and it imports random and shutil

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class _Lock:
    """An exclusive advisory lock on a file (POSIX `flock`); without `fcntl`, no lock
    (the atomic replace still keeps the pack whole; concurrent runs may then lose some
    of each other's new entries, which only costs a later miss)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: Optional[int] = None

    def __enter__(self) -> "_Lock":
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            import fcntl

            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = None


def open_cache(cache_dir: Optional[Path] = None, start: Optional[Path] = None) -> ResultCache:
    return ResultCache(Path(cache_dir) if cache_dir is not None else find_cache_dir(start))
