"""Messages to people (SPEC §8): handoffs, the stand-up digest, coverage gaps; pure."""
