"""SafePath: software for the ICAT Call to Action to prevent and end child trafficking."""

__version__ = "0.1.0"
