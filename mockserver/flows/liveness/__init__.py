"""Verify Liveness: three portraits of one person, turned left, frontal and turned right,
with the warning codes of the flow. May import ``pipeline`` and below."""
