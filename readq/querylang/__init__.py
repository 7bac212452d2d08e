"""The query language of the ``/`` box, ``readq list --search`` and saved views.

Text is parsed once into a typed query (terms.py) by a hand-written parser
(parse.py); the query is compiled into a matcher (evaluate.py) that answers
for papers and, where it can, for rows of the field index. No Textual here.
"""

from readq.querylang.evaluate import Matcher, compile_query
from readq.querylang.parse import QueryError, parse
from readq.querylang.terms import Query, to_text

__all__ = ["Matcher", "Query", "QueryError", "compile_query", "parse", "to_text"]
