"""Tests of the support rotation (syncd.domain.rotation) and `syncd rotation`."""
