"""The contract as one OpenAPI file per reading, for generators, mock servers and linters."""

from mockserver.contract.bundle.document import Examples, bundles
from mockserver.contract.bundle.naming import pascal

__all__ = ["Examples", "bundles", "pascal"]
