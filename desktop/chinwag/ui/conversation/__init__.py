"""One conversation on screen: the pane, the message view, the composer, the stream worker."""
