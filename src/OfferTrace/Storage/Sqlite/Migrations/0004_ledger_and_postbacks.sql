-- Postbacks and the money ledger: raw callbacks, redemptions, reversals, payout status history, the publisher
-- postback outbox with its delivery log. Points entries may now belong to a redemption instead of a conversion.

-- Every inbound network callback as received, with what became of it: the input of a replay, and why a postback was
-- refused. Stored in the transaction of the conversion it caused, or alone when it caused none.
CREATE TABLE raw_callbacks (
    callback_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL,
    network_id TEXT,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT,
    source_ip TEXT NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    reason TEXT,
    transaction_id TEXT,
    conversion_id TEXT
);
CREATE INDEX ix_raw_callbacks_received ON raw_callbacks (received_at);
CREATE INDEX ix_raw_callbacks_outcome ON raw_callbacks (outcome, received_at);
CREATE INDEX ix_raw_callbacks_transaction ON raw_callbacks (network_id, transaction_id);

-- Points a publisher's user spent; reference is the publisher's own id of the purchase (a retry with it is a repeat).
CREATE TABLE points_redemptions (
    redemption_id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    points BIGINT NOT NULL,
    reference TEXT NOT NULL,
    UNIQUE (publisher_id, reference)
);
CREATE INDEX ix_redemptions_user ON points_redemptions (publisher_id, user_id, created_at);

-- Status moves of earnings and payouts (pending -> approved -> paid, or rejected): who, what, when.
CREATE TABLE ledger_status_changes (
    change_id TEXT PRIMARY KEY,
    changed_at BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX ix_status_changes_entity ON ledger_status_changes (entity_id, changed_at);

-- The outbox of publisher postbacks: written in the transaction of the ledger rows that cause them, delivered by the
-- dispatcher. payload holds the macro values; the URL is rendered from the publisher's settings at each attempt.
CREATE TABLE postback_deliveries (
    delivery_id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT NOT NULL,
    conversion_id TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    give_up_at BIGINT NOT NULL,
    last_status_code INTEGER,
    last_error TEXT,
    delivered_at BIGINT
);
CREATE INDEX ix_deliveries_due ON postback_deliveries (state, next_attempt_at);
CREATE INDEX ix_deliveries_publisher ON postback_deliveries (publisher_id, created_at);
CREATE INDEX ix_deliveries_conversion ON postback_deliveries (conversion_id);

-- The delivery log: one row per attempt, with the request as sent and the answer.
CREATE TABLE postback_attempts (
    attempt_id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started_at BIGINT NOT NULL,
    request TEXT NOT NULL,
    status_code INTEGER,
    response_excerpt TEXT,
    latency_ms BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX ix_attempts_delivery ON postback_attempts (delivery_id, attempt);

-- Per publisher: failures in a row, and the pause they caused (an alert until an admin resumes).
CREATE TABLE publisher_postback_health (
    publisher_id TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL,
    last_failure_at BIGINT,
    last_error TEXT,
    paused_at BIGINT
);

ALTER TABLE publishers ADD COLUMN postback_mode TEXT NOT NULL DEFAULT 'get';
ALTER TABLE publishers ADD COLUMN postback_secret_previous TEXT;
ALTER TABLE publishers ADD COLUMN postback_secret_previous_until BIGINT;

ALTER TABLE publisher_earnings ADD COLUMN kind TEXT NOT NULL DEFAULT 'credit';
ALTER TABLE publisher_earnings ADD COLUMN reverses_id TEXT;
ALTER TABLE network_payouts ADD COLUMN kind TEXT NOT NULL DEFAULT 'credit';
ALTER TABLE network_payouts ADD COLUMN reverses_id TEXT;

-- SQLite cannot drop a NOT NULL: the points entries are copied into a table where conversion_id is optional.
CREATE TABLE user_points_transactions_v2 (
    transaction_id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    conversion_id TEXT,
    redemption_id TEXT,
    reverses_id TEXT,
    kind TEXT NOT NULL,
    balance TEXT NOT NULL,
    points BIGINT NOT NULL
);
INSERT INTO user_points_transactions_v2 (transaction_id, created_at, publisher_id, user_id, conversion_id, kind, balance, points)
    SELECT transaction_id, created_at, publisher_id, user_id, conversion_id, kind, balance, points FROM user_points_transactions;
DROP TABLE user_points_transactions;
ALTER TABLE user_points_transactions_v2 RENAME TO user_points_transactions;
CREATE INDEX ix_points_tx_user ON user_points_transactions (publisher_id, user_id, created_at);
CREATE INDEX ix_points_tx_conversion ON user_points_transactions (conversion_id);

-- When a held conversion's points become available by themselves (its offer's hold_days after the conversion).
ALTER TABLE offerwall_conversions_detailed ADD COLUMN hold_until BIGINT;
CREATE INDEX ix_conversions_held ON offerwall_conversions_detailed (status, hold_until);
