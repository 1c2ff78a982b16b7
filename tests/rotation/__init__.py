"""Tests of the support rotation (syncd.rotation) and `syncd rotation`."""
