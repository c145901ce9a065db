"""Users: roles, active flag, PIN and password credentials (stored only as hashes)."""
