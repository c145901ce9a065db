"""POS Grocery: point of sale for grocery stores."""

__version__ = "0.1.0"
