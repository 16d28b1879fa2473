"""Financial red-flag monitoring and suspicious transaction reports (ICAT actions 4 and 5)."""
