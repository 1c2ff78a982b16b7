"""syncd's configuration: the typed model and the YAML loader."""
