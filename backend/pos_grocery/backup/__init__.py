"""Backups, continuous WAL archiving, restore (to a point in time) and disaster-recovery drills."""
