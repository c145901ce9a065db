"""Checkout: sales, quotes, holds, voids and receipts (docs/CHECKOUT.md)."""
