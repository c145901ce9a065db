"""Shifts and cash control: open with a float, cash movements, no-sales, X and Z reports (docs/SHIFTS.md)."""
