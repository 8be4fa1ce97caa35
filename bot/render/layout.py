"""Plain replies (help, topic lists, subscription lists) as lines an app can wrap by itself.

The core writes help as an aligned two-column table for the terminal. In a chat app, fixed alignment means
a code block, and code blocks don't wrap on a phone: here each row becomes ``(command, description)`` and
each other line its text, so the renderers can lay them out in their own markup.
"""

from __future__ import annotations

import re

_ROW = re.compile(r"^\s+(\S.*?)\s{2,}(\S.*)$")


def rows(text: str) -> list[tuple[str, str | None, bool]]:
    """``(first, second, indented)`` per line: ``second`` is the description of an aligned table row."""
    out: list[tuple[str, str | None, bool]] = []
    for line in text.splitlines():
        match = _ROW.match(line)
        if match:
            out.append((match.group(1), match.group(2), True))
        else:
            out.append((line.strip(), None, line.startswith(" ")))
    return out


def is_table(text: str) -> bool:
    """Help and topic lists are laid out with indented rows."""
    return any(line.startswith("  ") for line in text.splitlines())
