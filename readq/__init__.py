"""readq: triage research papers from the keyboard."""

__version__ = "0.1.0"
