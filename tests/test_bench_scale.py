"""bench.scale's resume check is about codes, not limits: each of its attempts comes from a
client network of its own, so a full drill (40 codes x 3 instances) never meets the resume
limit, which counts an IPv6 client by its /64 (a 2 December run had 60 of 120 refused)."""

from app.web.ratelimit import LIMITS, network_of
from bench.scale import resume_address


def test_every_resume_attempt_of_a_full_drill_is_a_client_of_its_own() -> None:
    attempts = 40 * 3
    assert attempts > LIMITS["resume"][0].count  # what one shared network would be refused
    networks = {network_of(resume_address(attempt)) for attempt in range(attempts)}
    assert len(networks) == attempts
