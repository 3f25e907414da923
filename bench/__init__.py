"""Benchmarks: the load driver against the real bot and a bare Bolt app, and data at scale."""
