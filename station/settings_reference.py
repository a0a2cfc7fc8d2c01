"""The configuration reference, read from config/defaults.toml: every setting, its
default and the comment that explains it, as a Markdown table (docs/configuration.md
carries it; a test keeps the two in step)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from station.paths import config_dir
from station.settings import ENV_PREFIX

_SECTION = re.compile(r"^\[([a-z0-9_.]+)\]\s*$")
_KEY = re.compile(r"^([a-z0-9_]+)\s*=\s*(.+?)\s*$")


@dataclass(frozen=True)
class SettingDoc:
    name: str  # dotted, e.g. server.port
    default: str  # as written in the defaults file
    meaning: str

    @property
    def variable(self) -> str:
        return ENV_PREFIX + self.name.upper().replace(".", "__")


def setting_docs(defaults: Path | None = None) -> list[SettingDoc]:
    """Each key of the defaults file with the comment above it; keys written one
    after another share that comment, and a section's comment covers its keys."""
    lines = (defaults or config_dir() / "defaults.toml").read_text(encoding="utf-8").splitlines()
    docs: list[SettingDoc] = []
    section, section_note, comment, meaning, after_key = "", "", [], "", False
    for line in lines[_header_end(lines) :]:
        text = line.strip()
        if text.startswith("#"):
            comment.append(text.lstrip("# ").strip())
        elif match := _SECTION.match(text):
            section, section_note = match.group(1), " ".join(comment)
            comment, meaning, after_key = [], section_note, False
        elif match := _KEY.match(text):
            if comment:
                meaning, comment = " ".join(comment), []
            elif not after_key:
                meaning = section_note
            name = f"{section}.{match.group(1)}" if section else match.group(1)
            docs.append(SettingDoc(name, match.group(2), meaning))
            after_key = True
        elif not text:
            after_key = False
    return docs


def _header_end(lines: list[str]) -> int:
    """The file opens with a comment about the file itself, ended by a blank line."""
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            return index
    return len(lines)


def reference_markdown(defaults: Path | None = None) -> str:
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for doc in setting_docs(defaults):
        meaning = doc.meaning.replace("|", "\\|")
        rows.append(f"| `{doc.name}` | `{doc.variable}` | `{doc.default}` | {meaning} |")
    return "\n".join(rows) + "\n"
