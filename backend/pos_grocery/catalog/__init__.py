"""Catalog: products, categories, tax classes, barcodes, search and CSV import/export."""
