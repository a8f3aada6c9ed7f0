"""Turning Markdown into laid-out text: one renderer for streaming and final replies."""
