"""Returns and refunds against sales, with and without a receipt (docs/CHECKOUT.md)."""
