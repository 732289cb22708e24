"""T4.8: Schemathesis generates requests from the OpenAPI schema, 50 per operation; none gets a
server error. Each case runs with a live session token (the API's own authentication), so the
session routes are reached, not only refused with 401. The staff area is HTML forms, not in the
schema; its routes are covered by tests/staff. (Schemathesis's pytest loader does not run under
pytest 9 here, so the operations are driven with Hypothesis directly.)"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from app.main import create_app
from tests.conftest import make_settings


@pytest.fixture
def fuzz_app(clean_db: str):
    app = create_app(make_settings(clean_db))
    yield app
    app.state.puente.db.dispose()


def test_no_server_error(fuzz_app) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    store = fuzz_app.state.puente.store

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            fuzz_app.state.limiter.reset()
            token = store.create("en").id
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            case.call_and_validate(checks=[not_a_server_error])

        run()
