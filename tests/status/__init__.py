"""Tests of `syncd status`, the stand-up view and the state rows behind it."""
