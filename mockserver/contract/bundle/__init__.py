"""The contract as one OpenAPI file per reading, for generators, mock servers and linters."""

from mockserver.contract.bundle.document import Examples, bundle
from mockserver.contract.bundle.naming import pascal

__all__ = ["Examples", "bundle", "pascal"]
