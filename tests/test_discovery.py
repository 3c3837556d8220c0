"""Folder discovery (logcheck/workspace/files.py): what it takes and skips, held against a plain
walk that asks `glob_match` pattern by pattern and `pathspec` file by file, the way the
rules are written down (the discovery itself compiles the patterns into one search and
looks .gitignore files up once per folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from logcheck.settings.model import glob_match, path_patterns
from logcheck.workspace.files import discover
from logcheck.workspace.settings_loader import Overrides, SettingsResolver

PATTERNS = ["build", "*.egg-info", "gen_*", "docs/_build", "**/fixtures/**", "pkg/**/skip.py", "/top.py",
            "cache/", "a?c", "**/deep", "x/*/y"]
PARTS = ["build", "pkg", "gen_x", "docs", "_build", "fixtures", "skip.py", "top.py", "cache", "abc", "deep",
         "x", "y", "z", "m.egg-info", "src"]


@given(st.lists(st.sampled_from(PARTS), min_size=1, max_size=5), st.lists(st.sampled_from(PATTERNS), max_size=5))
@hsettings(max_examples=400, deadline=None)
def test_compiled_patterns_say_what_each_pattern_says(parts, patterns):
    rel = "/".join(parts)
    assert path_patterns(tuple(patterns)).matches(rel) == any(glob_match(rel, p) for p in patterns)


def _reference(root: Path, patterns) -> list:
    """Every .py file below `root` not excluded (by name or relative path, any pattern)
    and not ignored by a .gitignore of its folder or a parent below `root`."""
    out = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        specs = []
        for at in [here, *here.parents]:
            ignore = at / ".gitignore"
            if ignore.is_file():
                specs.append((at, pathspec.GitIgnoreSpec.from_lines(ignore.read_text().splitlines())))
            if at == root:
                break

        def skipped(name: str, is_dir: bool) -> bool:
            rel = (here / name).relative_to(root).as_posix()
            if any(glob_match(name, p) or glob_match(rel, p) for p in patterns):
                return True
            return any(spec.match_file((here / name).relative_to(at).as_posix() + ("/" if is_dir else ""))
                       for at, spec in specs)

        dirs[:] = sorted(d for d in dirs if not skipped(d, True))
        out += [(here / f).relative_to(root).as_posix() for f in files if f.endswith(".py") and not skipped(f, False)]
    return sorted(out)


def _tree(root: Path) -> None:
    for rel in ["a.py", "top.py", "build/b.py", "src/build/c.py", "src/pkg/skip.py", "pkg/sub/skip.py",
                "pkg/sub/keep.py", "pkg/m.egg-info/d.py", "gen_x/e.py", "docs/_build/f.py", "docs/g.py",
                "tests/fixtures/h.py", "cache/i.py", "abc/j.py", "x/q/y/k.py", "x/q/z/l.py", "deep/m.py",
                "lib/deep/n.py", "vendor/o.py", "vendor/keep/p.py", "lib/ignored_here.py", "lib/t.py"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    (root / ".git").mkdir()
    (root / ".gitignore").write_text("vendor/*\n!vendor/keep/\n")
    (root / "lib" / ".gitignore").write_text("ignored_here.py\n")


@pytest.mark.parametrize("patterns", [[], PATTERNS, ["build", "**/deep"], ["x/*/y", "/top.py", "cache/"]])
def test_discovery_matches_the_plain_walk(tmp_path, monkeypatch, patterns):
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    resolver = SettingsResolver(overrides=Overrides(exclude=tuple(patterns)), validate=False)
    targets, warnings = discover([Path(".")], resolver)
    assert warnings == []
    found = sorted(t.path.as_posix() for t in targets)
    assert found == _reference(tmp_path, patterns)
    # from another folder, through a symbolic link to the project: the same files
    link = tmp_path.parent / f"{tmp_path.name}-link"
    link.symlink_to(tmp_path)
    try:
        targets, _ = discover([link], resolver)
        assert sorted(t.path.relative_to(link).as_posix() for t in targets) == found
    finally:
        link.unlink()


def test_a_named_folder_inside_an_excluded_one_is_still_excluded(tmp_path, monkeypatch):
    # `logcheck build/lib` with `build` excluded: its files are below an excluded folder
    _tree(tmp_path)
    (tmp_path / "build" / "lib").mkdir()
    (tmp_path / "build" / "lib" / "q.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    resolver = SettingsResolver(validate=False)
    assert discover([Path("build/lib")], resolver)[0] == []
    assert [t.path.as_posix() for t in discover([Path("pkg/sub")], resolver)[0]] == ["pkg/sub/keep.py",
                                                                                     "pkg/sub/skip.py"]


@given(st.booleans(), st.lists(st.sampled_from(["a", "b", "..", "c.py", "w"]), min_size=0, max_size=4),
       st.sampled_from(["/", "/w", "/w/a", "/w/a/b"]))
@hsettings(max_examples=300, deadline=None)
def test_display_path_is_the_path_relative_to_the_working_folder(absolute, parts, cwd):
    from logcheck.workspace.files import display_path

    path = Path(("/w/" if absolute else "") + "/".join(parts) or ".")
    expected = path.as_posix()
    try:  # what the display promises: lexically relative to the working folder when inside it
        expected = (path if path.is_absolute() else Path(cwd) / path).relative_to(cwd).as_posix()
    except ValueError:
        pass
    assert display_path(path, Path(cwd)) == expected


def test_named_files_are_one_file_whatever_the_path(tmp_path, monkeypatch):
    """A file named twice (through a symlinked folder, `..`, an absolute path) is checked
    once; a symlink to a file and the file are one file too."""
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "a.py").write_text("x = 1\n")
    (tmp_path / "real" / "b.py").write_text("x = 1\n")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "sub" / "link.py").symlink_to(tmp_path / "real" / "b.py")
    monkeypatch.chdir(tmp_path)
    names = ["real/sub/a.py", "alias/sub/a.py", "real/sub/../sub/a.py", str(tmp_path / "alias" / "sub" / "a.py"),
             "alias/b.py", "real/b.py", "real/sub/link.py"]
    targets, warnings = discover([Path(n) for n in names], SettingsResolver(validate=False))
    assert [t.path.as_posix() for t in targets] == ["real/sub/a.py", "alias/b.py"]
    assert warnings == []


@pytest.mark.parametrize("rel,pattern,expected", [
    ("pkg/build/x.py", "build", True),        # a slashless pattern: any component
    ("pkg/rebuild/x.py", "build", False),
    ("a/m.egg-info/x.py", "*.egg-info", True),
    ("abc/x.py", "a?c", True),
    ("ac/x.py", "a?c", False),
    ("cache/x.py", "cache/", True),           # a trailing slash keeps it slashless
    ("docs/_build", "docs/_build", True),     # with a slash: the whole path (discovery prunes the folder)
    ("src/docs/_build/x.py", "docs/_build", False),
    ("top.py", "/top.py", True),
    ("src/top.py", "/top.py", False),
    ("a/b/fixtures/c.py", "**/fixtures/**", True),
    ("fixtures", "**/fixtures/**", True),
    ("pkg/a/b/skip.py", "pkg/**/skip.py", True),
    ("pkg/skip.py", "pkg/**/skip.py", True),
    ("x/q/y", "x/*/y", True),
    ("x/q/r/y", "x/*/y", False),
])
def test_glob_match(rel, pattern, expected):
    assert glob_match(rel, pattern) is expected
