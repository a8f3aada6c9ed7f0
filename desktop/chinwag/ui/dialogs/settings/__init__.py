"""The settings dialog and its pages."""

from chinwag.ui.dialogs.settings.dialog import SettingsDialog

__all__ = ["SettingsDialog"]
