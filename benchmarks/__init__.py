"""Benchmarks: every figure measured side by side with its baseline in the same run.

Run ``python -m benchmarks`` (``--help`` for the sections). No timing is asserted anywhere:
these print a table, they do not pass or fail.
"""
