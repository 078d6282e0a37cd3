"""Stack settings: the pydantic model, the edge that parses config, the rules."""
