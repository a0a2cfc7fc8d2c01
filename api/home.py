"""The home page: each person's own screen (the gate sends strangers to /login)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from api.screens.access import CurrentUser, landing_page

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(user: CurrentUser) -> RedirectResponse:
    return RedirectResponse(landing_page(user), 303)
