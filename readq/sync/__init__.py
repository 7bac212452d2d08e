"""Syncing libraries across machines through a folder that a file-sync tool
(Syncthing, Dropbox, iCloud Drive) or a git repository keeps: each machine
writes only its own file there and reads the others' (see run.py)."""
