"""First-party provider plugins, one module per provider type.

Each module is its own entry point in the "chinwag" group, loaded like any third-party
plugin, and imports only the public API (`chinwag.api`).
"""
