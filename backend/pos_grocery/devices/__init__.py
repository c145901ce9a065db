"""Device layer: ESC/POS printers, cash drawers, scales and pole displays, with protocol-speaking simulators."""
