"""The printable card of command barcodes: every bench step can be driven by the
scanner alone. Code 128 (read by every bench scanner, 1D or 2D), drawn as SVG."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import zxingcpp
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render
from station.access.models import Role

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
AnyoneSignedIn = role_required(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
PREFIX = "ISCMD:"
# Reasons an operator may give for skipping a step (SKIP:<reason>).
SKIP_REASONS = ("NO_BARCODE", "NO_LABEL", "SCALE_FAULT", "CAMERA_FAULT", "NOT_APPLICABLE")


@dataclass(frozen=True)
class Command:
    text: str  # what the barcode carries, e.g. ISCMD:SKIP:NO_LABEL
    label_key: str  # its meaning, for the operator
    key: str | None  # the keyboard key that does the same


def card(supervisor: str | None = None) -> list[Command]:
    """The operator's card; a supervisor's also carries their own SUPERVISOR code, which
    lets a bench go on without a broken device (the units then need review)."""
    commands = [
        Command(PREFIX + "NEXT", "command.next", "Enter"),
        Command(PREFIX + "CONFIRM", "command.confirm", "F9"),
        Command(PREFIX + "CANCEL", "command.cancel", "Esc"),
        Command(PREFIX + "YES", "command.yes", "F5"),
        Command(PREFIX + "NO", "command.no", "F6"),
        Command(PREFIX + "RETAKE", "command.retake", "F2"),
        Command(PREFIX + "DAMAGED", "command.damaged", "F4"),
        Command(PREFIX + "ABANDON", "command.abandon", None),
    ]
    if supervisor:
        commands.append(Command(f"{PREFIX}SUPERVISOR:{supervisor}", "command.supervisor", None))
    commands += [
        Command(f"{PREFIX}SKIP:{reason}", f"command.skip.{reason.lower()}", None)
        for reason in SKIP_REASONS
    ]
    return commands


@cache
def barcode_svg(text: str) -> Markup:
    """A Code 128 symbol as inline SVG, scaled by its container."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    svg = symbol.to_svg()
    svg = svg[svg.index("<svg") :]
    width, height = re.search(r'<svg width="(\d+)" height="(\d+)"', svg).groups()
    svg = svg.replace(
        f'<svg width="{width}" height="{height}"',
        f'<svg class="code128" viewBox="0 0 {width} {height}" role="img"'
        f' preserveAspectRatio="none"',
        1,
    )
    return Markup(re.sub(r"<desc>.*?</desc>", "", svg))


@router.get("/bench/commands")
def command_card(request: Request, user: SignedIn = AnyoneSignedIn) -> Response:
    own = user.username if user.may(Role.SUPERVISOR, Role.ADMIN) else None
    entries = [(c, barcode_svg(c.text)) for c in card(own)]
    return render(request, "bench/commands.html", {"entries": entries}, user=user)
