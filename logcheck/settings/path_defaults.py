"""The default path globs of `test-paths`, `example-paths`, `application-paths` and
`allow-print` (what `logcheck.semantics.purpose` means by them is documented there).

Kept apart from `purpose.py` (which reads manifests and code) so that reading the
settings stays cheap: a run answered from the cache imports neither."""

from typing import Tuple

#: files that are tests
DEFAULT_TEST_PATHS: Tuple[str, ...] = (
    "**/test/**", "**/tests/**", "**/testing/**", "**/conftest.py", "**/test_*.py", "**/*_test.py",
)
#: examples, demos and documentation: they show how, they are not deployed
DEFAULT_EXAMPLE_PATHS: Tuple[str, ...] = (
    "**/examples/**", "**/example/**", "**/demo/**", "**/demos/**", "**/docs/**", "**/doc/**",
)
#: files that are programs or their parts, not importable library code
DEFAULT_APPLICATION_PATHS: Tuple[str, ...] = DEFAULT_EXAMPLE_PATHS + (
    "**/tools/**", "**/scripts/**", "**/bin/**", "**/__main__.py", "**/cli.py", "**/cli/**", "**/cmd/**",
    "**/commands/**", "**/setup.py", "**/noxfile.py", "**/migrations/**",
)
#: files where print() is fine: tests and programs
DEFAULT_ALLOW_PRINT: Tuple[str, ...] = DEFAULT_TEST_PATHS + DEFAULT_APPLICATION_PATHS
