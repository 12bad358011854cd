"""API token keys: generated here, and only ever stored as a hash."""

from __future__ import annotations

import hashlib
import secrets

KEY_BYTES = 32


def token_key_generate() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def token_key_hash(key: str) -> str:
    """SHA-256 is enough here: keys are long random strings, not guessable passwords."""
    return hashlib.sha256(key.encode()).hexdigest()
