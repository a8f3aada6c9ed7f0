"""Qt only: windows, dialogs, workers. No business logic here; it lives in chinwag.core."""
