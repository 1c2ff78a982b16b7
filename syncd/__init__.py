"""syncd: keeps a support-engineer rotation running by itself."""

__version__ = "0.1.0"
