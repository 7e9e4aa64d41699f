"""Bundles, keys, signing, encryption and verification. Takes data, not a session."""
