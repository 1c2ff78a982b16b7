"""The soak test: many cycles over the sandbox with faults and a person editing issues."""
