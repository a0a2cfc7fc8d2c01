"""Bench command cards: barcodes printed on a card at the bench, so that an operator
with gloves on drives the screen with the scanner. `ISCMD:<NAME>` or `ISCMD:<NAME>:<ARG>`."""

from __future__ import annotations

import re

from station.identifiers.identification import Identification, Kind

PREFIX = "ISCMD:"
# name -> whether it takes an argument (True: required, False: none)
COMMANDS = {
    "NEXT": False,
    "RETAKE": False,
    "SKIP": True,  # the argument is the reason code
    "DAMAGED": False,
    "SUPERVISOR": False,
    "ABANDON": False,
    "CONFIRM": False,
    "CANCEL": False,
}
_ARGUMENT = re.compile(r"^[A-Za-z0-9._-]{1,32}$")


def looks_like(text: str) -> bool:
    return text.upper().startswith(PREFIX)


def identify_command(text: str, aim: str | None = None) -> Identification:
    name, _, argument = text[len(PREFIX) :].partition(":")
    name = name.upper()
    fields = {"command": name, "argument": argument or None}
    if name not in COMMANDS:
        reason = f"unknown bench command {name!r}; the cards are {', '.join(COMMANDS)}"
        return Identification.invalid(Kind.BENCH_COMMAND, text, reason, aim, **fields)
    if COMMANDS[name] and not argument:
        reason = f"bench command {name} needs an argument ({PREFIX}{name}:<reason code>)"
        return Identification.invalid(Kind.BENCH_COMMAND, text, reason, aim, **fields)
    if not COMMANDS[name] and argument:
        reason = f"bench command {name} takes no argument, got {argument!r}"
        return Identification.invalid(Kind.BENCH_COMMAND, text, reason, aim, **fields)
    if argument and not _ARGUMENT.match(argument):
        reason = (
            f"bench command {name}: argument {argument!r} must be 1-32 letters, "
            "digits, '.', '_' or '-'"
        )
        return Identification.invalid(Kind.BENCH_COMMAND, text, reason, aim, **fields)
    return Identification(kind=Kind.BENCH_COMMAND, valid=True, text=text, aim=aim, fields=fields)
