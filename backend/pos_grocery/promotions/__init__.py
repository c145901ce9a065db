"""Stored pricing rules (promotions, quantity breaks) that feed the pricing engine."""
