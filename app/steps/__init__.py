"""The comparison steps the pipeline runs on two Articles: align, classify, word level, framing, facts, frames."""
