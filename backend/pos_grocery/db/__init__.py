"""SQLite access through APSW: one writer, readers, migrations."""
