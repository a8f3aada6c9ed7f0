"""Dialogs: settings (a page per provider, from its schema), details, compaction, usage."""
