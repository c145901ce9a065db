"""`GET /api/settings`: the non-secret store settings a client (lane, back office) needs."""
