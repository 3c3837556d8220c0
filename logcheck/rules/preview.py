"""The preview group: rules whose precision on code no rule was tuned on has not yet been
shown (docs/precision.md, the first-look protocol of issue 20). A preview rule is off
unless preview is on (`--preview`, or `preview = true` in `[tool.logcheck]`), like ruff's
preview: selecting it by its code or a prefix without preview does not turn it on (the
command line says so, once). Preview does not turn on a rule that is off by default; it
makes preview rules selectable and lets the default-on ones run.

Each entry is a rule code and what put it here (the issue and the first-look figure, for
example `"issue 20: first look 6/10 true"`). A rule leaves the group when a later first-look
round shows it precise enough: its entry is deleted, nothing else changes.
"""

from __future__ import annotations

from typing import Dict

#: rule code -> the issue and first-look figure that put it in preview
PREVIEW: Dict[str, str] = {}
