from chinwag.core.store.database import Store, StoreError

__all__ = ["Store", "StoreError"]
