"""Cassettes and scrubbing: recorded exchanges written, loaded and matched, personal data
replaced. Pure functions and files; may import ``generation``, ``media`` and ``contract``."""
