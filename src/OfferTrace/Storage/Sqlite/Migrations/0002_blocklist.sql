-- Blocked addresses (single IPs or CIDR ranges) and device ids, by hand or by rule; expires_at NULL = never.
CREATE TABLE blocklist (
    entry_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT,
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE UNIQUE INDEX ux_blocklist_kind_value ON blocklist (kind, value);
