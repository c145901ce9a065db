"""Device-neutral receipt documents and their renderers (plain text, ESC/POS, raster)."""
