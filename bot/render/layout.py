"""Plain replies (help, topic lists, subscription lists) as lines an app can wrap by itself.

The core writes help as an aligned two-column table for the terminal. In a chat app, fixed alignment means
a code block, and code blocks don't wrap on a phone: here each row becomes ``(command, description)`` and
each other line its text, so the renderers can lay them out in their own markup.
"""

from __future__ import annotations

import re

_ROW = re.compile(r"^\s+(\S.*?)\s{2,}(\S.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def rows(text: str) -> list[tuple[str, str | None, bool]]:
    """``(first, second, indented)`` per row: ``second`` is the description of a table row, written either
    aligned on the same line or on the next, deeper-indented line."""
    lines = text.splitlines()
    out: list[tuple[str, str | None, bool]] = []
    index = 0
    while index < len(lines):  # each line is consumed once: bounded by the input
        line = lines[index]
        match = _ROW.match(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if match:
            out.append((match.group(1), match.group(2), True))
        elif line.strip() and line.startswith(" ") and following.strip() and _indent(following) > _indent(line):
            out.append((line.strip(), following.strip(), True))
            index += 1
        else:
            out.append((line.strip(), None, line.startswith(" ")))
        index += 1
    return out


def is_table(text: str) -> bool:
    """Help and topic lists are laid out with indented rows."""
    return any(line.startswith("  ") for line in text.splitlines())
