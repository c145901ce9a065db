"""The tamper-evident audit journal: append-only, hash-chained events written inside each feature's transaction."""
