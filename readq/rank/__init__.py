"""The "for you" ranking learned from the user's own triage, and similar papers
(issue 16): features.py turns papers into TF-IDF vectors, model.py learns a
linear classifier from the user's decisions, decisions.py says which papers are
decisions. numpy is imported only here, only when ranking is asked for."""
