-- A fingerprint of the request a key was first used with, so reusing the key for a different request is refused
-- instead of silently answered with the first request's result. NULL for keys stored before this column existed.
ALTER TABLE idempotency_keys ADD COLUMN request_hash INTEGER;
