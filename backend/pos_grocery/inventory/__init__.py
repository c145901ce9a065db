"""Inventory: stock ledger, goods received, stocktake, alerts and labels (docs/INVENTORY.md)."""
