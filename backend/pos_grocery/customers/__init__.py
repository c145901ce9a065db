"""Customers: who we sell to on account or at a tier price."""
