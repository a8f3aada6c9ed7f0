"""Chinwag: a desktop chat app for language models, local and remote, open to plugins."""

__version__ = "0.1.0"
