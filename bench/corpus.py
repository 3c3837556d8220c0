"""Build a corpus of real-world Python from pinned PyPI sdists.

Usage (script):
    python bench/corpus.py [--set bench|robustness|all] [--cache DIR] [--list]

Usage (module):
    from bench.corpus import build, py_files
    roots = build("bench")            # {"django": Path(.../django-5.1.4), ...}
    files = py_files("bench")         # sorted list of every .py file of the set

The sdists are fetched with pip (`pip download --no-deps --no-binary :all: NAME==VERSION`)
into a cache folder outside the repository -- `~/.cache/logcheck-corpus` by default,
`--cache DIR` or the environment variable `LOGCHECK_CORPUS` to change it -- and unpacked
there once.  No third-party source is ever committed to this repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

#: pinned sdists (all checked to exist on PyPI as sdists)
PINS: Dict[str, str] = {
    "django": "5.1.4",
    "botocore": "1.35.76",
    "boto3": "1.35.76",
    "celery": "5.4.0",
    "kombu": "5.4.2",
    "scrapy": "2.12.0",
    "sentry-sdk": "2.19.2",
    "salt": "3007.1",
    "paramiko": "3.5.0",
    "urllib3": "2.2.3",
    "requests": "2.32.3",
    "tornado": "6.4.2",
    "gunicorn": "23.0.0",
    "twisted": "24.11.0",
}

SETS: Dict[str, Tuple[str, ...]] = {
    # the 11 projects of the performance issue
    "bench": ("django", "botocore", "boto3", "celery", "kombu", "scrapy", "sentry-sdk", "salt",
              "paramiko", "urllib3", "requests"),
    # varied real code to run every rule (and the fixer) over without crashing
    "robustness": ("django", "celery", "scrapy", "sentry-sdk", "tornado", "gunicorn", "twisted"),
}

#: inside an unpacked sdist, only these top-level folders are used (None: the whole sdist).
#: salt's sdist ships tests, docs tooling and packaging scripts; the issue measures its package.
PACKAGE_ONLY: Dict[str, Optional[str]] = {"salt": "salt"}


def default_cache() -> Path:
    env = os.environ.get("LOGCHECK_CORPUS")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "logcheck-corpus"


def _norm(name: str) -> str:
    return name.lower().replace("_", "-")


def _find_archive(folder: Path, name: str, version: str) -> Optional[Path]:
    stems = {f"{n}-{version}" for n in (name, name.replace("-", "_"), name.replace("-", "."))}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        low = path.name.lower()
        for stem in stems:
            if low.startswith(stem.lower()) and low.endswith((".tar.gz", ".zip", ".tar.bz2", ".tgz")):
                return path
    return None


def download(name: str, version: str, cache: Path, quiet: bool = True) -> Path:
    """The sdist archive of NAME==VERSION in CACHE/sdists, downloading it with pip if needed."""
    sdists = cache / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    found = _find_archive(sdists, name, version)
    if found:
        return found
    base = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
            f"{name}=={version}", "-d", str(sdists), "--disable-pip-version-check"]
    if quiet:
        base.append("-q")
    # pip prepares the metadata of an sdist it downloads; with build isolation that means
    # building the build backend from source too, so fall back to the current environment's
    # setuptools when the isolated build fails (the archive is all we want).
    for extra in ([], ["--no-build-isolation"]):
        proc = subprocess.run(base + extra, capture_output=True, text=True)
        found = _find_archive(sdists, name, version)
        if found:
            return found
    raise RuntimeError(f"pip could not download the sdist {name}=={version}:\n{proc.stderr[-2000:]}")


def _safe_members(names: Iterable[str]) -> bool:
    for n in names:
        p = Path(n)
        if p.is_absolute() or ".." in p.parts:
            return False
    return True


def unpack(archive: Path, cache: Path) -> Path:
    """Unpack an sdist once into CACHE/src; returns its top folder."""
    src = cache / "src"
    src.mkdir(parents=True, exist_ok=True)
    stem = archive.name
    for suffix in (".tar.gz", ".tar.bz2", ".tgz", ".zip"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    dest = src / stem
    marker = dest / ".unpacked"
    if marker.exists():
        return dest
    tmp = src / f".{stem}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            if not _safe_members(zf.namelist()):
                raise RuntimeError(f"{archive}: unsafe member paths")
            zf.extractall(tmp)
    else:
        with tarfile.open(archive) as tf:
            if not _safe_members(m.name for m in tf.getmembers()):
                raise RuntimeError(f"{archive}: unsafe member paths")
            members = [m for m in tf.getmembers() if m.isfile() or m.isdir()]
            tf.extractall(tmp, members=members)
    entries = [p for p in tmp.iterdir()]
    top = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
    shutil.rmtree(dest, ignore_errors=True)
    if top is tmp:
        tmp.rename(dest)
    else:
        top.rename(dest)
        shutil.rmtree(tmp, ignore_errors=True)
    marker.write_text("ok\n")
    return dest


def names_of(set_name: str) -> Tuple[str, ...]:
    if set_name == "all":
        seen: List[str] = []
        for names in SETS.values():
            seen.extend(n for n in names if n not in seen)
        return tuple(seen)
    if set_name not in SETS:
        raise KeyError(f"unknown corpus set {set_name!r} (known: {', '.join(SETS)}, all)")
    return SETS[set_name]


def build(set_name: str = "bench", cache: Optional[Path] = None, quiet: bool = True) -> Dict[str, Path]:
    """Download and unpack every sdist of a set; {name: folder to check}."""
    cache = Path(cache) if cache else default_cache()
    out: Dict[str, Path] = {}
    for name in names_of(set_name):
        version = PINS[name]
        top = unpack(download(name, version, cache, quiet=quiet), cache)
        sub = PACKAGE_ONLY.get(name)
        out[name] = top / sub if sub and (top / sub).is_dir() else top
    return out


def list_py(root: Path) -> List[Path]:
    """Every `.py` file under a folder (sorted, no symlinks followed)."""
    out: List[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".py"):
                out.append(Path(folder) / f)
    return out


def py_files(set_name: str = "bench", cache: Optional[Path] = None) -> List[Path]:
    """Every `.py` file of a set, building the set first if needed."""
    files: List[Path] = []
    for root in build(set_name, cache).values():
        files.extend(list_py(root))
    return files


def count_lines(files: Sequence[Path]) -> int:
    total = 0
    for f in files:
        with open(f, "rb") as fh:
            total += fh.read().count(b"\n")
    return total


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", default="bench", choices=tuple(SETS) + ("all",))
    p.add_argument("--cache", type=Path, default=None, help="cache folder (default: $LOGCHECK_CORPUS or ~/.cache/logcheck-corpus)")
    p.add_argument("--list", action="store_true", help="print every .py file, one per line")
    p.add_argument("--roots", action="store_true", help="print the folder of each project, one per line")
    ns = p.parse_args(argv)
    roots = build(ns.set, ns.cache, quiet=True)
    if ns.roots:
        for root in roots.values():
            print(root)
        return 0
    files: List[Path] = []
    for name, root in roots.items():
        mine = list_py(root)
        files.extend(mine)
        if not ns.list:
            print(f"{name:12} {PINS[name]:10} {len(mine):6} files {count_lines(mine):9} lines  {root}", file=sys.stderr)
    if ns.list:
        for f in files:
            print(f)
    else:
        print(f"{'total':23} {len(files):6} files {count_lines(files):9} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
