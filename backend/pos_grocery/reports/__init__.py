"""Sales reports over business days: live for open days, roll-ups for final ones; JSON and CSV (docs/SHIFTS.md)."""
