from chinwag.core.store.errors import StoreError
from chinwag.core.store.facade import Store

__all__ = ["Store", "StoreError"]
