"""The preview group: rules whose precision on code no rule was tuned on has not yet been
shown (docs/precision.md, the first-look protocol of issue 20). A preview rule is off
unless preview is on (`--preview`, or `preview = true` in `[tool.logcheck]`), like ruff's
preview: selecting it by its code or a prefix without preview does not turn it on (the
command line says so, once). Preview does not turn on a rule that is off by default; it
makes preview rules selectable and lets the default-on ones run.

Each entry is a rule code and what put it here (the issue and the first-look figure, for
example `"issue 20: first look 6/10 true"`). A rule leaves the group when a later first-look
round shows it precise enough: its entry is deleted, nothing else changes. A rule whose
reach to another logger family (loguru, structlog) has not shown its precision has that
family in `PREVIEW_FAMILIES`: the rule runs on the family's loggers only with preview on.
"""

from __future__ import annotations

from typing import Dict

#: rule code -> the issue and first-look figure that put it in preview
PREVIEW: Dict[str, str] = {
    "LC304": "issue 20: first look round 3 (docs/precision.md), 6 true / 3 false of 10 sampled (67%)",
    "LC402": "issue 20: first look round 3, 0 true / 4 false of 4 (example scripts at a project's root)",
    "LC511": "issue 20: first look round 3, 1 true / 2 false of 3 (33%)",
    "LC601": "issue 20: first look round 3, 0 true / 10 false of 10 (names, not values: sessions, token counts)",
    "LC502": "first looks round 3 and families-1 together, 3 true / 1 false (75%): a per-run log file",
    "LC506": "first looks round 3 and families-1 together, 1 true / 1 false (50%): alembic's stock env.py",
}

#: rule code -> {family name: what put the rule's reach to that family in preview}: the rule
#: runs on that family's loggers only with preview on (the rule itself stays where it is)
PREVIEW_FAMILIES: Dict[str, Dict[str, str]] = {
    # LC201 and LC204 on loguru left the group after first look families-1 (LC201 10/10 true,
    # 16 true / 1 false with nonebot2's first look; LC204 6/6 true)
    "LC202": {"loguru": "issue 21: no finding at first look (nonebot2, families-1): not judged yet"},
    "LC203": {"loguru": "issue 21: first look families-1, 0 true / 1 debatable of 1: not judged enough"},
    "LC204": {"structlog": "issue 21: first look families-1, 0 true / 1 false of 1 (a `# noqa: G003` on "
                           "the message's row of a multi-line call)"},
}
