"""The published contract: the committed OpenAPI document, the offline docs page,
and schemathesis exercising every operation against the document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.v1.app import standalone_document

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
COMMITTED = Path(__file__).resolve().parents[2] / "api" / "openapi.json"


def test_committed_document_matches_the_app(api):
    served = api.client.get("/v1/openapi.json").json()
    assert served == standalone_document()
    assert json.loads(COMMITTED.read_text()) == served, (
        "the API changed: review it, bump API_VERSION in api/v1/app.py, then run "
        "`.venv/bin/python -m api.v1.app > api/openapi.json`"
    )
    ids = [op["operationId"] for path in served["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) and all(re.match(r"^[a-z]+-[a-z_]+$", i) for i in ids)
    tags = {t["name"] for t in served["tags"]}
    for path in served["paths"].values():
        for operation in path.values():
            assert len(operation["tags"]) == 1 and operation["tags"][0] in tags
            codes = set(operation["responses"])
            assert {"401", "403", "422", "500"} <= codes and any(c.startswith("2") for c in codes)
            problem = operation["responses"]["401"]["content"]
            assert list(problem) == ["application/problem+json"]


def test_docs_page_works_offline(api):
    page = api.client.get("/v1/docs")
    assert page.status_code == 200 and "/v1/openapi.json" in page.text
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page.text)
    assert external == [], f"the docs page loads {external} from the network"
    for asset in re.findall(r"""["'](/static/swagger-ui/[^"']+)""", page.text):
        assert api.client.get(asset).status_code == 200, asset
    assert api.client.get("/problems/validation").status_code == 200


def test_every_operation_keeps_its_contract(results, world):
    """Schemathesis: for each operation, generated requests (valid and not) get no
    5xx, and every response, errors included, matches the document. (Schema-valid
    requests may still be refused: a PUT naming a merchant that does not exist is
    valid JSON and a 422, so that one check is left out.)"""
    schema = schemathesis.openapi.from_asgi("/v1/openapi.json", world.client.app)
    failures = {}
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
        def exercise(case):
            case.call_and_validate(headers=world.admin, excluded_checks=[positive_data_acceptance])

        try:
            exercise()
        except KeyboardInterrupt:
            raise
        except BaseException as failure:  # collect every operation's failure, then report
            failures[operation.label] = str(failure)[:3000]
        tried += 1
    assert tried >= 25
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
