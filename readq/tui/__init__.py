"""The Textual app: the only part of readq that imports Textual."""
