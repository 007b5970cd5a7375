-- Offer caps: clicks, conversions and payout (base currency) per day, month and lifetime, as a JSON object on the
-- offer, and the usage counted against them by the writer, in the transaction of the click or conversion it counts.
ALTER TABLE offers ADD COLUMN caps TEXT NOT NULL DEFAULT '{}';

CREATE TABLE offer_cap_usage (
    offer_id TEXT NOT NULL,
    period TEXT NOT NULL,
    period_start BIGINT NOT NULL,
    clicks BIGINT NOT NULL,
    conversions BIGINT NOT NULL,
    payout BIGINT NOT NULL,
    PRIMARY KEY (offer_id, period, period_start)
);

-- The ledger replay sums each redemption's points entries.
CREATE INDEX ix_points_tx_redemption ON user_points_transactions (redemption_id);
