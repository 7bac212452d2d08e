"""Modal screens: note editor, tags, filter, import, help, confirm."""
