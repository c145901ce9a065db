"""Health, readiness, liveness, start-up SLA and integrity probes."""
