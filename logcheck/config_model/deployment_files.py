"""Which files below a folder may be deployment files (`deployment.py` reads them), and a
digest of that listing: the result cache's dependency on the deployment facts of a project.
A template, `serverless.yml`, `.env` or Dockerfile that appears, or a candidate whose size or
time changes, gives another digest, so results that read the deployment facts are checked
again. Light on purpose: a warm run computes the digest without the checking modules."""

from __future__ import annotations

import os
from hashlib import blake2b
from pathlib import Path
from typing import Iterator, Optional, Tuple

from logcheck.config_model.dotenv import is_dotenv_name

#: folders never searched for deployment files: build output, dependencies, caches
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "env", "node_modules", "__pycache__",
                             ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".logcheck_cache",
                             "site-packages", "cdk.out", ".aws-sam", ".serverless", "build", "dist"})
#: the dependency "path" that stands for the listing below a folder (`listing_marker`)
LISTING_PREFIX = "<deployment files below> "


def is_command_file(name: str) -> bool:
    """Files whose lines are the commands that start the program: Dockerfiles, Procfiles,
    Docker Compose files."""
    lower = name.lower()
    return lower.startswith(("dockerfile", "containerfile")) or lower.endswith(".dockerfile") \
        or lower == "procfile" or (lower.startswith(("docker-compose", "compose")) and lower.endswith((".yml", ".yaml")))


def candidate_kind(name: str) -> Optional[str]:
    """`dotenv`, `command`, `python` (a CDK app), `template` (YAML/JSON: a SAM/CloudFormation
    template or serverless.yml), or None for a file that cannot be a deployment file."""
    if is_dotenv_name(name):
        return "dotenv"
    if is_command_file(name):
        return "command"
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".py":
        return "python"
    if suffix in (".yaml", ".yml", ".template") or (suffix == ".json" and "template" in name.lower()):
        return "template"  # CloudFormation JSON templates are named so; other JSON is data
    return None


def candidate_files(root: Path) -> Iterator[Tuple[Path, str]]:
    """(path, kind) of every candidate below `root`, in a stable order."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.endswith(".egg-info"))
        for name in sorted(files):
            kind = candidate_kind(name)
            if kind is not None:
                yield Path(folder) / name, kind


def listing_marker(root: Path) -> Path:
    return Path(LISTING_PREFIX + os.fspath(Path(root).absolute()))


def listing_digest(marker: str) -> bytes:
    """The digest of the candidates below the marker's folder: their paths, and the size and
    modification time of each one that is not Python (a CDK app that changes is a content
    dependency already; every edit of a module should not count)."""
    root = Path(marker[len(LISTING_PREFIX):])
    h = blake2b(digest_size=16)
    for path, kind in candidate_files(root):
        h.update(os.fsencode(path.relative_to(root)) + b"\0")
        if kind != "python":
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(f"{st.st_size}:{st.st_mtime_ns}\0".encode())
    return h.digest()
