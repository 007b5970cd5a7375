-- Blocked addresses (single IPs or CIDR ranges) and device ids, by hand or by rule; expires_at NULL = never.
CREATE TABLE blocklist (
    entry_id TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    reason TEXT,
    source TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE UNIQUE INDEX ux_blocklist_kind_value ON blocklist (kind, value);
