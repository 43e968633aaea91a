"""The contract, read from ``contracts/``: loading and validation, the error catalogue, dialects
and tolerant schemas. Data in, data out: imports nothing of the fake but ``mockserver.exceptions``."""
