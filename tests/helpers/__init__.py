"""Helper processes and harnesses for the reliability tests (crash, concurrency, terminal, environment)."""
