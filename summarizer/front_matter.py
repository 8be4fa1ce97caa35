"""Front matter: the one parser for article files, used by the folder loader and by ingest alike.

YAML between ``---`` lines (closed by ``---`` or ``...``), TOML between ``+++`` lines; a ``---`` block that is
not YAML is tried as TOML (and the reverse), because people mix them up. Hostile files stay cheap:

* YAML aliases (``*name``) are refused before anything is built, so an alias bomb (a few lines that expand
  into billions of items once printed) costs microseconds, not gigabytes;
* the block is bounded (``MAX_LINES``, ``MAX_CHARS``), and nesting too deep for the parsers is an error;
* only flat values are kept (text, numbers, dates): a list or table value is dropped, never stringified.

``FrontMatterError`` says why a block was refused; the caller decides whether that skips the file (ingest)
or only drops the metadata (the loader, which must brief whatever it can).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

MAX_LINES = 200  # a closing fence further down than this is a horizontal rule, not the end of front matter
MAX_CHARS = 64_000
_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_SCALARS = (str, int, float, bool, dt.date, dt.datetime, dt.time)


class FrontMatterError(ValueError):
    """The file opens a front-matter block that cannot (or must not) be parsed; ``rest`` is the text after it."""

    rest: str = ""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata with lower-case keys, the rest of the text). Raises ``FrontMatterError`` for a bad block.

    Text without an opening fence, or with an opening ``---`` never closed, has no front matter: ``({}, text)``.
    """
    found = find_block(text)
    if found is None:
        return {}, text
    opener, block, rest = found
    try:
        return parse_block(block, toml_first=opener == "+++"), rest
    except FrontMatterError as error:
        error.rest = rest
        raise


def find_block(text: str) -> tuple[str, str, str] | None:
    """(opening fence, block, rest) when ``text`` starts with a closed front-matter block, else None."""
    stripped = text.lstrip("\n")
    head, _, _ = stripped.partition("\n")
    opener = head.strip()
    if opener not in _FENCES:
        return None
    lines = stripped.split("\n", MAX_LINES + 1)[: MAX_LINES + 1]
    for index in range(1, len(lines)):
        if lines[index].strip() in _FENCES[opener]:
            parts = stripped.split("\n", index + 1)
            return opener, "\n".join(lines[1:index]), parts[index + 1] if len(parts) > index + 1 else ""
    return None  # a lone '---' is a horizontal rule


def parse_block(block: str, toml_first: bool = False) -> dict[str, Any]:
    """The flat metadata of one front-matter block (without its fences)."""
    if len(block) > MAX_CHARS:
        raise FrontMatterError(f"front matter longer than {MAX_CHARS} characters")
    if not block.strip():
        return {}
    parsers = (_toml, _yaml) if toml_first else (_yaml, _toml)
    problems: list[str] = []
    for parser in parsers:
        try:
            meta = parser(block)
        except FrontMatterError:
            raise  # refused on purpose (an alias): trying the other format would only hide why
        except RecursionError:
            raise FrontMatterError("front matter nested too deeply") from None
        except Exception as error:  # each parser has its own error types; the other format gets a chance
            problems.append(type(error).__name__)
            continue
        if isinstance(meta, dict):
            return {str(key).lower(): value for key, value in meta.items() if isinstance(value, _SCALARS)}
        problems.append("not a mapping")
    raise FrontMatterError(f"front matter is neither YAML nor TOML ({', '.join(problems)})")


def _yaml(block: str) -> Any:
    import yaml

    return yaml.load(block, Loader=_loader_class())  # noqa: S506  a SafeLoader subclass (see _loader_class)


def _toml(block: str) -> Any:
    return tomllib.loads(block)


_LOADER: Any = None


def _loader_class() -> Any:
    """yaml.SafeLoader that refuses aliases: built lazily so that importing this module never imports yaml."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class NoAliasLoader(yaml.SafeLoader):
            def compose_node(self, parent: Any, index: Any) -> Any:
                if self.check_event(yaml.AliasEvent):
                    raise FrontMatterError("front matter uses YAML aliases (*name), which are not allowed")
                return super().compose_node(parent, index)

        _LOADER = NoAliasLoader
    return _LOADER
