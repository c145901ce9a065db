"""Sign-in, sessions, the permission matrix, the route guard and manager overrides."""
