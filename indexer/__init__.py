"""vanthu indexer: extraction → normalization → metadata/citations → segmentation → Whoosh index, and search."""

__version__ = "0.1.0"
