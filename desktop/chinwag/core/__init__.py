"""The domain, headless: no Qt may be imported from here (tests/unit/test_layering.py)."""
