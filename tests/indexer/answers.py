"""What a live index answers, compared across re-indexes and kills."""

from indexer.library import Library
from indexer.search import SearchParams

QUERIES = ["thi đua", "kế hoạch", "ủy ban nhân dân", "xây dựng", "quyết định"]


def answers(data, queries=QUERIES) -> dict[str, list[str]]:
    """The ids each query finds, as sorted lists: equal scores are ordered by Whoosh's internal
    document number, which a rebuild changes, so order alone is not compared."""
    lib = Library(data)
    try:
        return {q: sorted(h["id"] for h in lib.search(SearchParams(q=q, limit=100))["hits"]) for q in queries}
    finally:
        lib.close()
