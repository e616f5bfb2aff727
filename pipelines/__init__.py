"""Item pipelines: normalise -> deduplicate -> archive (order set in ITEM_PIPELINES)."""
