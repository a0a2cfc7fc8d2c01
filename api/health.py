"""GET /health: is this process able to do its job?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.deps import RuntimeDep
from station import __version__
from station.db.migrate import schema_status

router = APIRouter()


@router.get("/health", tags=["health"])
def health(runtime: RuntimeDep) -> JSONResponse:
    """Version, role and database status; 503 when the database cannot be used."""
    database = {"dialect": runtime.db.dialect}
    try:
        status = schema_status(runtime.db.engine)
    except SQLAlchemyError as err:
        database.update(status="unreachable", detail=type(err).__name__)
    else:
        database.update(
            status="ok" if status.up_to_date else "out of date",
            schema=status.describe(),
        )
    healthy = database["status"] == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "version": __version__,
        "role": runtime.settings.role,
        "database": database,
    }
    return JSONResponse(body, status_code=200 if healthy else 503)
