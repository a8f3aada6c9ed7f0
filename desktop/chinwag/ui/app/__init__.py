"""The application window: start-up, the main window, its actions, theme and state."""
