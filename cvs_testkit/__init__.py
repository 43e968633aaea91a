"""cvs-testkit: test a CVS API v2 client offline, and test any server against the contract."""

from __future__ import annotations

from .contract import ContractError, ContractViolation, Problem, assert_conforms, validate

__all__ = ["ContractError", "ContractViolation", "Problem", "assert_conforms", "validate"]
__version__ = "0.1.0"
