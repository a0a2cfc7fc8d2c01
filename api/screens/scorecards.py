"""Scorecards: pass rate over time, top failure reasons, defect classes and
throughput per station per hour, for everything or one merchant, brand,
category or station."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import language, render, translator
from api.screens.plots import CLASS_COLOURS, heat_table, ranked_bars, rate_over_time
from station.access.models import Role
from station.checks.defects import library
from station.clock import utcnow
from station.db.engine import Database
from station.fleet.models import Station
from station.reference.models import Brand, Category, Merchant
from station.scorecards import figures, rollup
from station.scorecards.figures import Scope
from station.scorecards.rollup import day_start

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)
WINDOWS = (7, 30, 90)
CHOICES = {
    "merchant": (Merchant.id, Merchant.legal_name),
    "brand": (Brand.id, Brand.name),
    "category": (Category.id, Category.name),
    "station": (Station.id, Station.name),
}


def window(kind: str, id: str | None, days: int) -> Scope:
    """The last `days` whole UTC days, today included."""
    now = utcnow()
    return Scope(kind, id, day_start(now) - timedelta(days=days - 1), now + timedelta(seconds=1))


def scorecard(db: Database, scope: Scope, t, lang: str) -> dict:
    """The four plots of one scope, ready for a template."""
    rollup.refresh(db, scope.since, scope.until)
    recent = Scope(scope.kind, scope.id, scope.until - timedelta(hours=24), scope.until)
    with db.session() as session:
        days = figures.verdicts_by_day(session, scope)
        failures = figures.top_failures(session, scope)
        classes = figures.defect_classes(session, scope)
        per_hour = figures.throughput(session, recent)
    hours = [(recent.since + timedelta(hours=h + 1)).strftime("%Y-%m-%d %H") for h in range(24)]
    units = sum(d.total for d in days)
    passed = sum(d.passed for d in days)
    return {
        "units": units,
        "pass_rate": round(100 * passed / units, 1) if units else None,
        "rate_plot": rate_over_time(
            [(d.day, d.pass_rate, d.total) for d in days], t("plot.rate"), t("plot.empty")
        ),
        "failure_plot": ranked_bars(
            [(_defect_name(code, lang), n) for _check, code, n in failures],
            t("plot.failures"),
            t("plot.empty"),
        ),
        "class_plot": ranked_bars(
            [(t(f"defect_class.{c}"), classes.get(c, 0)) for c in ("critical", "major", "minor")],
            t("plot.classes"),
            t("plot.empty"),
            colours={t(f"defect_class.{c}"): colour for c, colour in CLASS_COLOURS.items()},
        ),
        "throughput_plot": heat_table(per_hour, hours, t("plot.throughput"), t("plot.empty")),
    }


def _defect_name(code: str, lang: str) -> str:
    """The defect's name from the defect library, in the reader's language."""
    defect = library().get(code)
    if defect is None:
        return code.replace("_", " ")
    return defect.zh if lang == "zh" else defect.en


@router.get("/dashboard/scorecards")
def scorecards(
    request: Request,
    runtime: RuntimeDep,
    user: SignedIn = Supervisor,
    kind: str = "merchant",
    id: str | None = None,
    days: int = 30,
) -> Response:
    kind = kind if kind in CHOICES else "merchant"
    days = days if days in WINDOWS else 30
    t = translator(request)
    with runtime.db.session() as session:
        key, label = CHOICES[kind]
        options = session.execute(select(key, label).order_by(key)).all()
        chosen = id if id in {o[0] for o in options} else (options[0][0] if options else None)
    scope = window(kind, chosen, days)
    card = scorecard(runtime.db, scope, t, language(request)) if chosen else None
    context = {
        "kinds": list(CHOICES),
        "kind": kind,
        "options": options,
        "chosen": chosen,
        "windows": WINDOWS,
        "days": days,
        "card": card,
    }
    return render(request, "dashboard/scorecards.html", context, user=user)
