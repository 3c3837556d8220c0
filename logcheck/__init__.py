"""logcheck: a linter and autofixer for logging design in Python code."""

__version__ = "0.1.0"
