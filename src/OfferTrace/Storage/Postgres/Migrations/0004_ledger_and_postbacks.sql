-- Postbacks and the money ledger: raw callbacks, redemptions, reversals, payout status history, the publisher
-- postback outbox with its delivery log. Points entries may now belong to a redemption instead of a conversion.

-- Every inbound network callback as received, with what became of it: the input of a replay, and why a postback was
-- refused. Stored in the transaction of the conversion it caused, or alone when it caused none.
CREATE TABLE raw_callbacks (
    callback_id TEXT COLLATE "C" PRIMARY KEY,
    received_at BIGINT NOT NULL,
    network_id TEXT COLLATE "C",
    method TEXT COLLATE "C" NOT NULL,
    url TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT,
    source_ip TEXT COLLATE "C" NOT NULL,
    outcome TEXT COLLATE "C" NOT NULL,
    http_status INTEGER NOT NULL,
    reason TEXT,
    transaction_id TEXT COLLATE "C",
    conversion_id TEXT COLLATE "C"
);
CREATE INDEX ix_raw_callbacks_received ON raw_callbacks (received_at);
CREATE INDEX ix_raw_callbacks_outcome ON raw_callbacks (outcome, received_at);
CREATE INDEX ix_raw_callbacks_transaction ON raw_callbacks (network_id, transaction_id);

-- Points a publisher's user spent; reference is the publisher's own id of the purchase (a retry with it is a repeat).
CREATE TABLE points_redemptions (
    redemption_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    points BIGINT NOT NULL,
    reference TEXT COLLATE "C" NOT NULL,
    UNIQUE (publisher_id, reference)
);
CREATE INDEX ix_redemptions_user ON points_redemptions (publisher_id, user_id, created_at);

-- Status moves of earnings and payouts (pending -> approved -> paid, or rejected): who, what, when.
CREATE TABLE ledger_status_changes (
    change_id TEXT COLLATE "C" PRIMARY KEY,
    changed_at BIGINT NOT NULL,
    entity TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    from_status TEXT COLLATE "C" NOT NULL,
    to_status TEXT COLLATE "C" NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX ix_status_changes_entity ON ledger_status_changes (entity_id, changed_at);

-- The outbox of publisher postbacks: written in the transaction of the ledger rows that cause them, delivered by the
-- dispatcher. payload holds the macro values; the URL is rendered from the publisher's settings at each attempt.
CREATE TABLE postback_deliveries (
    delivery_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    conversion_id TEXT COLLATE "C",
    kind TEXT COLLATE "C" NOT NULL,
    payload TEXT NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
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
    attempt_id TEXT COLLATE "C" PRIMARY KEY,
    delivery_id TEXT COLLATE "C" NOT NULL,
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
    publisher_id TEXT COLLATE "C" PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL,
    last_failure_at BIGINT,
    last_error TEXT,
    paused_at BIGINT
);

ALTER TABLE publishers ADD COLUMN postback_mode TEXT COLLATE "C" NOT NULL DEFAULT 'get';
ALTER TABLE publishers ADD COLUMN postback_secret_previous TEXT;
ALTER TABLE publishers ADD COLUMN postback_secret_previous_until BIGINT;

ALTER TABLE publisher_earnings ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'credit';
ALTER TABLE publisher_earnings ADD COLUMN reverses_id TEXT COLLATE "C";
ALTER TABLE network_payouts ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'credit';
ALTER TABLE network_payouts ADD COLUMN reverses_id TEXT COLLATE "C";

ALTER TABLE user_points_transactions ALTER COLUMN conversion_id DROP NOT NULL;
ALTER TABLE user_points_transactions ADD COLUMN redemption_id TEXT COLLATE "C";
ALTER TABLE user_points_transactions ADD COLUMN reverses_id TEXT COLLATE "C";

-- When a held conversion's points become available by themselves (its offer's hold_days after the conversion).
ALTER TABLE offerwall_conversions_detailed ADD COLUMN hold_until BIGINT;
CREATE INDEX ix_conversions_held ON offerwall_conversions_detailed (status, hold_until);
