"""Serial scale protocols, one module per protocol."""
