"""File discovery (excludes, .gitignore), reading, and atomic writes."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from logcheck.config_model.dotenv import is_dotenv_name
from logcheck.settings.model import DEFAULT_EXCLUDE, PathPatterns, Settings, glob_match, path_patterns
from logcheck.workspace.settings_loader import SettingsResolver

PYTHON_SUFFIXES = (".py", ".pyi")
#: files that may hold a logging configuration, found by content when a folder is scanned
CONFIG_SUFFIXES = (".ini", ".conf", ".cfg", ".json", ".yaml", ".yml", ".toml")


@dataclass(frozen=True)
class Target:
    path: Path
    #: the settings that apply to it (found during discovery)
    settings: Settings = field(compare=False)
    #: named on the command line (always checked, even if excluded or not .py, unless
    #: `force-exclude` is on)
    explicit: bool = False
    #: why a path named on the command line cannot be read (reported as LC000)
    problem: Optional[str] = None

    @property
    def is_python(self) -> bool:
        return self.path.suffix in PYTHON_SUFFIXES


#: why a path cannot be read (files.Target.problem; reported as `LC000 cannot read: ...`)
MISSING = "no such file or directory"
BROKEN_LINK = "broken symbolic link (or a symlink loop)"


def _excluded(path: Path, settings: Settings) -> bool:
    return _excluded_as(path.name, settings.relative(path), settings.exclusions)


def _excluded_as(name: str, rel: str, patterns: PathPatterns, folder_hit: Optional[bool] = None) -> bool:
    """A file or folder matches `exclude`: a pattern matches its name or its path `rel`
    relative to the settings root. `folder_hit`, when known, says whether a component of
    the folder's own relative path matches a slashless pattern (true for every entry of
    the folder alike): then only the name is left to test against those."""
    if patterns.component(name) or patterns.whole(name):
        return True
    return patterns.matches(rel) if folder_hit is None else folder_hit or patterns.whole(rel)


def _dotenv_excluded(rel: str, settings: Settings) -> bool:
    """A `.env` file (deployment configuration the LC8xx rules read) is excluded by a pattern
    other than the default `.env`, which is there for virtualenv folders of that name."""
    kept = tuple(p for p in settings.exclude if p != ".env" or settings.exclude is not DEFAULT_EXCLUDE)
    return path_patterns(kept + tuple(settings.extend_exclude)).matches(rel)


def force_excluded(path: Path, settings: Settings) -> bool:
    """`force-exclude` (as ruff): a path named on the command line is skipped when it, or
    a folder it is in below the settings root, matches `exclude`/`extend-exclude`. The
    folders above the root (where the project happens to live) never count."""
    root = settings.root.resolve()
    try:
        parts = Path(path).resolve().relative_to(root).parts
    except (ValueError, OSError, RuntimeError):
        return _excluded(Path(path), settings)  # outside the project: the path itself only
    return any(_excluded(root.joinpath(*parts[:i]), settings) for i in range(1, len(parts) + 1))


class _GitIgnore:
    """The .gitignore files from the scanned folders (and their parents up to the repo)."""

    def __init__(self) -> None:
        self._chains: dict = {}

    @staticmethod
    def _spec(folder: Path):
        ignore = folder / ".gitignore"
        if not ignore.is_file():
            return None
        try:
            import pathspec

            lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
            return pathspec.GitIgnoreSpec.from_lines(lines)
        except (OSError, ImportError):
            return None

    def in_folder(self, folder: Path) -> Callable[[str, bool], bool]:
        """`ignored` for the entries of one (absolute) folder: the .gitignore files that
        apply to them (the folder's and its parents' up to the repository root)."""
        chain = [(spec, "" if at == folder else folder.relative_to(at).as_posix() + "/")
                 for at, spec in self._chain(folder)]
        if not chain:
            return lambda name, is_dir: False
        return lambda name, is_dir: any(spec.match_file(prefix + name + ("/" if is_dir else ""))
                                        for spec, prefix in chain)

    def _chain(self, folder: Path) -> Tuple[Tuple[Path, object], ...]:
        """(folder, spec) of the .gitignore files from `folder` up to the repository root,
        looked up once per folder (discovery walks down, so a parent is already known)."""
        found = self._chains.get(folder)
        if found is None:
            spec = self._spec(folder)
            own = ((folder, spec),) if spec is not None else ()
            top = (folder / ".git").exists() or folder.parent == folder
            found = own if top else own + self._chain(folder.parent)
            self._chains[folder] = found
        return found


def named_config(path: Path, settings: Settings) -> bool:
    """Named by `config-files` (globs relative to the settings root): always read."""
    if not settings.config_files:
        return False
    rel = settings.relative(path)
    return any(glob_match(rel, pattern) for pattern in settings.config_files)


class _RealFolders:
    """`os.path.realpath` of folders, each computed from its parent's: pre-commit and CI
    name thousands of files in a few hundred folders, and realpath alone costs a system
    call per path component."""

    def __init__(self) -> None:
        self._known: Dict[str, str] = {}

    def resolve(self, folder: str) -> str:
        found = self._known.get(folder)
        if found is None:
            parent, name = os.path.split(folder)
            if not parent or parent == folder or name in ("", ".", "..") or os.path.islink(folder):
                found = os.path.realpath(folder)
            else:
                found = os.path.join(self.resolve(parent), name)
            self._known[folder] = found
        return found


def discover(paths: Sequence[Path], resolver: SettingsResolver,
             wants_config: Optional[Callable[[Path], bool]] = None) -> Tuple[List[Target], List[str]]:
    """Files to check under `paths`, sorted, and warnings (unreadable folders, loops).

    Explicitly named files are always taken (unless excluded under `force-exclude`); one
    that cannot be read (missing, a broken symbolic link) is taken with its `problem`, which
    the runner reports as LC000. Folders are walked skipping excluded and gitignored entries,
    taking Python files (a dangling link named `*.py` too, with its `problem`) and, when
    `wants_config` accepts them, logging configuration files."""
    targets: List[Target] = []
    warnings: List[str] = []
    seen = set()
    gitignore = _GitIgnore()
    real_folders = _RealFolders()
    #: resolved folder -> its settings
    folder_settings: Dict[str, Settings] = {}
    for given in paths:
        given = given if isinstance(given, Path) else Path(given)  # Path(a Path) parses it again
        try:
            own = os.lstat(given)
        except OSError:  # as ruff: a finding for this path, the others are still checked
            key = str(given.absolute())
            if key not in seen:
                seen.add(key)
                targets.append(Target(given, resolver.for_path(given), explicit=True, problem=MISSING))
            continue
        if stat.S_ISREG(own.st_mode):  # the common case, one system call
            real = real_folders.resolve(os.path.dirname(given) or ".")
            settings = folder_settings.get(real)
            if settings is None:
                settings = folder_settings[real] = resolver.for_dir(Path(real))
            if settings.force_exclude and force_excluded(given, settings):
                continue
            key = os.path.join(real, given.name)
            if key not in seen:
                seen.add(key)
                targets.append(Target(given, settings, explicit=True))
            continue
        settings = resolver.for_path(given)
        if settings.force_exclude and force_excluded(given, settings):
            continue
        if given.is_file() or not given.is_dir():
            problem = None if given.is_file() else (
                BROKEN_LINK if given.is_symlink() else "not a regular file or folder")
            key = str(given.absolute() if problem else given.resolve())
            if key not in seen:
                seen.add(key)
                targets.append(Target(given, settings, explicit=True, problem=problem))
            continue
        visited_dirs = set()
        # (folder, its resolved path when known: a folder that is no symbolic link, in a
        # resolved folder, is resolved by joining its name)
        stack: List[Tuple[Path, Optional[Path]]] = [(given, None)]
        while stack:
            folder, real = stack.pop()
            if real is None:
                try:
                    real = folder.resolve()
                except (OSError, RuntimeError):
                    warnings.append(f"{folder}: cannot resolve (symlink loop?); skipped")
                    continue
            if real in visited_dirs:
                continue
            visited_dirs.add(real)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as exc:
                warnings.append(f"{folder}: cannot list folder: {exc.strerror or exc}")
                continue
            settings = resolver.for_dir(real)
            rel_of, folder_hit = _relative_in(folder, real, settings)
            patterns = settings.exclusions
            ignored = gitignore.in_folder(folder.absolute())
            subfolders = []
            for entry in entries:
                name = entry.name
                try:
                    is_dir = entry.is_dir()
                    is_file = entry.is_file()
                    is_link = entry.is_symlink()
                except OSError:
                    continue
                if is_link:  # matched by what it points to
                    if _excluded(folder / name, settings):
                        continue
                elif _excluded_as(name, rel_of(name), patterns, folder_hit) \
                        and not (is_file and is_dotenv_name(name) and not _dotenv_excluded(rel_of(name), settings)):
                    continue
                if ignored(name, is_dir):
                    continue
                if is_dir:
                    path = folder / name
                    if is_link:
                        try:
                            target = path.resolve()
                        except (OSError, RuntimeError):
                            warnings.append(f"{path}: symlink loop; skipped")
                            continue
                        if target in visited_dirs or real == target or real.is_relative_to(target):
                            warnings.append(f"{path}: symlink loop; skipped")
                            continue
                    subfolders.append((path, None if is_link else real / name))
                elif is_link and not is_file and name.endswith(PYTHON_SUFFIXES):
                    path = folder / name  # a dangling link (or a loop): LC000, as a named one
                    key = str(path.absolute())
                    if key not in seen:
                        seen.add(key)
                        targets.append(Target(path, settings, problem=BROKEN_LINK))
                elif is_file:
                    if name.endswith(PYTHON_SUFFIXES) or (
                            wants_config is not None and (name.endswith(CONFIG_SUFFIXES) or is_dotenv_name(name))
                            and wants_config(folder / name)) \
                            or named_config(folder / name, settings):
                        path = folder / name
                        key = str(path.resolve()) if is_link else os.path.join(real, name)
                        if key not in seen:
                            seen.add(key)
                            targets.append(Target(path, settings))
            stack.extend(reversed(subfolders))
    return targets, warnings


def _relative_in(folder: Path, real: Path, settings: Settings) -> Tuple[Callable[[str], str], bool]:
    """For the entries (not symbolic links) of a folder whose resolved path is `real`:
    a function from an entry's name to what `settings.relative` says of it, and whether a
    component of the folder's own relative path matches a slashless `exclude` pattern."""
    try:
        base = real.relative_to(settings.resolved_root).as_posix()
    except ValueError:  # outside the root: `relative` keeps the path as given
        base = folder.as_posix()
    patterns = settings.exclusions
    folder_hit = any(patterns.component(part) for part in base.split("/") if part and part != ".")
    if base == ".":
        return (lambda name: name), folder_hit
    prefix = base.rstrip("/") + "/"
    return (lambda name: prefix + name), folder_hit


def display_path(path: Path, cwd: Optional[Path] = None) -> str:
    """The path as users expect to see it: relative to the working folder when inside it
    (lexically, as `Path.relative_to`: a relative path is shown as given)."""
    path = path if isinstance(path, Path) else Path(path)
    text = path.as_posix()
    if not path.is_absolute():
        return text
    base = (cwd or Path.cwd()).absolute().as_posix().rstrip("/")
    if text == base:
        return "."
    return text[len(base) + 1:] if text.startswith(base + "/") else text


@dataclass(frozen=True)
class ReadResult:
    data: bytes
    #: (size, mtime_ns) when read, to detect a change before writing back
    stamp: Tuple[int, int]


def read_file(path: Path) -> ReadResult:
    """Read a file's bytes (OSError propagates, for the caller to report)."""
    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        data = handle.read()
    return ReadResult(data, (st.st_size, st.st_mtime_ns))


class WriteError(Exception):
    pass


def atomic_write(path: Path, data: bytes, expected: Optional[ReadResult] = None) -> None:
    """Replace `path` with `data` atomically: a temporary file in the same folder with the
    same permissions, fsynced, then renamed over the original. If the file changed since
    `expected` was read, nothing is written (WriteError)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise WriteError(f"cannot stat: {exc.strerror or exc}") from None
    # the mode bits too: root may write anything, but a file marked read-only (no write
    # bit for anyone) is not meant to be edited, and os.replace would bypass its mode
    if not os.access(path, os.W_OK) or not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("file is read-only; not fixed")
    if expected is not None:
        if (st.st_size, st.st_mtime_ns) != expected.stamp:
            raise WriteError("file changed while it was being checked; not overwritten")
        try:
            current = path.read_bytes()
        except OSError as exc:
            raise WriteError(f"cannot re-read: {exc.strerror or exc}") from None
        if current != expected.data:
            raise WriteError("file changed while it was being checked; not overwritten")
    import tempfile  # here: only writes need it, and it imports random and shutil

    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".logcheck-tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file next to it: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write: {exc.strerror or exc}") from None
        raise
