"""cvs-testkit: test a CVS API v2 client offline, and test any server against the contract."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cvs_testkit.contract import ContractError, ContractViolation, Problem, assert_conforms, validate

__all__ = ["ContractError", "ContractViolation", "Problem", "assert_conforms", "validate"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The pytest plugin lives in this package, so importing the package must stay light: the
    # contract (jsonschema, the schema files) loads when one of its names is first used.
    if name in __all__:
        from cvs_testkit import contract

        return getattr(contract, name)
    raise AttributeError(f"module 'cvs_testkit' has no attribute {name!r}")
