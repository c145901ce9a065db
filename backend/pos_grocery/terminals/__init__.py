"""Terminals (lanes): name, store code, device-service URL, last seen; sessions are bound to one."""
