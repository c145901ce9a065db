"""Suppliers: who we buy from."""
