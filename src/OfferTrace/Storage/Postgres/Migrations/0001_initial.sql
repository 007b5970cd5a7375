-- OfferTrace schema v1 (PostgreSQL). Times are Unix milliseconds UTC; money is a whole number of 1/10,000 of the unit.
-- Ids and other key columns use the "C" collation: byte order is all they need, and it spares every index comparison
-- the locale's rules.

CREATE TABLE publishers (
    publisher_id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    commission_percent TEXT NOT NULL,
    user_reward_percent TEXT NOT NULL,
    points_per_currency_unit BIGINT NOT NULL,
    postback_url TEXT,
    postback_secret TEXT,
    status TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE placements (
    placement_id TEXT COLLATE "C" PRIMARY KEY,
    publisher_id TEXT COLLATE "C" NOT NULL REFERENCES publishers (publisher_id),
    name TEXT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_placements_publisher ON placements (publisher_id);

CREATE TABLE networks (
    network_id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    auth_scheme TEXT NOT NULL,
    postback_token TEXT,
    postback_secret TEXT,
    hash_algorithm TEXT,
    hash_fields TEXT NOT NULL,
    hash_separator TEXT NOT NULL,
    allowed_ips TEXT NOT NULL,
    param_map TEXT NOT NULL,
    status_map TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE offers (
    offer_id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT,
    network_id TEXT COLLATE "C" NOT NULL REFERENCES networks (network_id),
    advertiser TEXT,
    payout BIGINT NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    url TEXT NOT NULL,
    countries TEXT NOT NULL,
    device_types TEXT NOT NULL,
    daily_cap BIGINT,
    user_reward_percent TEXT,
    commission_percent TEXT,
    hold_days INTEGER NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    key_id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    key_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE exchange_rates (
    currency TEXT COLLATE "C" NOT NULL,
    rate_date TEXT COLLATE "C" NOT NULL,
    rate TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (currency, rate_date)
);

CREATE TABLE offerwall_sessions_detailed (
    session_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    placement_id TEXT COLLATE "C" NOT NULL,
    sub_id TEXT COLLATE "C",
    device_type TEXT COLLATE "C",
    device_brand TEXT,
    device_model TEXT,
    os TEXT,
    os_version TEXT,
    browser TEXT,
    browser_version TEXT,
    screen_resolution TEXT,
    screen_dpi INTEGER,
    timezone TEXT,
    language TEXT,
    device_memory DOUBLE PRECISION,
    hardware_concurrency INTEGER,
    connection_type TEXT,
    is_webdriver BOOLEAN,
    touch_points INTEGER,
    user_agent TEXT,
    user_agent_hash TEXT,
    device_id TEXT COLLATE "C",
    canvas_hash TEXT,
    webgl_hash TEXT,
    fonts_hash TEXT,
    plugins_hash TEXT,
    ip TEXT COLLATE "C" NOT NULL,
    ip_version TEXT NOT NULL,
    asn BIGINT,
    isp TEXT,
    organization TEXT,
    is_proxy BOOLEAN NOT NULL,
    is_vpn BOOLEAN NOT NULL,
    is_tor BOOLEAN NOT NULL,
    is_datacenter BOOLEAN NOT NULL,
    country TEXT,
    country_code TEXT COLLATE "C",
    region TEXT,
    city TEXT,
    postal_code TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    geo_timezone TEXT,
    is_vpn_country BOOLEAN NOT NULL,
    referrer_url TEXT,
    referrer_domain TEXT,
    referrer_type TEXT NOT NULL,
    utm_source TEXT,
    utm_medium TEXT,
    utm_campaign TEXT,
    utm_term TEXT,
    utm_content TEXT,
    gclid TEXT,
    fraud_score INTEGER NOT NULL,
    fraud_status TEXT NOT NULL,
    status TEXT COLLATE "C" NOT NULL
);
CREATE INDEX ix_sessions_created ON offerwall_sessions_detailed (created_at);
CREATE INDEX ix_sessions_user ON offerwall_sessions_detailed (publisher_id, user_id, created_at);
CREATE INDEX ix_sessions_device ON offerwall_sessions_detailed (device_id, created_at);

CREATE TABLE offerwall_impressions_detailed (
    impression_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    placement_id TEXT COLLATE "C" NOT NULL,
    offer_id TEXT COLLATE "C" NOT NULL,
    offer_category TEXT,
    offer_payout BIGINT NOT NULL,
    offer_currency TEXT NOT NULL,
    network_id TEXT COLLATE "C" NOT NULL,
    advertiser TEXT,
    position INTEGER,
    view_duration_ms BIGINT,
    visible_percent DOUBLE PRECISION,
    visible BOOLEAN NOT NULL,
    viewable BOOLEAN NOT NULL,
    device_type TEXT COLLATE "C",
    device_id TEXT COLLATE "C",
    country_code TEXT COLLATE "C",
    ip TEXT COLLATE "C" NOT NULL
);
CREATE INDEX ix_impressions_created ON offerwall_impressions_detailed (created_at);
CREATE INDEX ix_impressions_session ON offerwall_impressions_detailed (session_id);

CREATE TABLE offerwall_clicks_detailed (
    click_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    impression_id TEXT COLLATE "C",
    user_id TEXT COLLATE "C" NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    placement_id TEXT COLLATE "C" NOT NULL,
    sub_id TEXT COLLATE "C",
    offer_id TEXT COLLATE "C" NOT NULL,
    offer_category TEXT,
    offer_payout BIGINT NOT NULL,
    offer_currency TEXT NOT NULL,
    network_id TEXT COLLATE "C" NOT NULL,
    advertiser TEXT,
    position INTEGER,
    time_to_click_ms BIGINT,
    mouse_movement_px DOUBLE PRECISION,
    click_velocity DOUBLE PRECISION,
    human_score INTEGER,
    redirect_url TEXT NOT NULL,
    redirect_status INTEGER,
    redirect_chain JSONB,
    device_type TEXT COLLATE "C",
    os TEXT,
    browser TEXT,
    device_id TEXT COLLATE "C",
    user_agent_hash TEXT,
    ip TEXT COLLATE "C" NOT NULL,
    country_code TEXT COLLATE "C",
    is_proxy BOOLEAN NOT NULL,
    is_vpn BOOLEAN NOT NULL,
    is_tor BOOLEAN NOT NULL,
    is_datacenter BOOLEAN NOT NULL,
    fraud_score INTEGER NOT NULL,
    fraud_status TEXT NOT NULL
);
CREATE INDEX ix_clicks_created ON offerwall_clicks_detailed (created_at);

CREATE TABLE offerwall_conversions_detailed (
    conversion_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    network_id TEXT COLLATE "C" NOT NULL,
    transaction_id TEXT COLLATE "C" NOT NULL,
    click_id TEXT COLLATE "C" NOT NULL,
    click_created_at BIGINT NOT NULL,
    session_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    placement_id TEXT COLLATE "C" NOT NULL,
    sub_id TEXT COLLATE "C",
    offer_id TEXT COLLATE "C" NOT NULL,
    offer_category TEXT,
    advertiser TEXT,
    device_type TEXT COLLATE "C",
    country_code TEXT COLLATE "C",
    ip TEXT COLLATE "C",
    time_to_convert_s DOUBLE PRECISION NOT NULL,
    session_duration_s DOUBLE PRECISION NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    network_payout BIGINT NOT NULL,
    user_reward BIGINT NOT NULL,
    publisher_commission BIGINT NOT NULL,
    platform_revenue BIGINT NOT NULL,
    base_currency TEXT NOT NULL,
    exchange_rate TEXT NOT NULL,
    network_payout_base BIGINT NOT NULL,
    user_reward_base BIGINT NOT NULL,
    publisher_commission_base BIGINT NOT NULL,
    platform_revenue_base BIGINT NOT NULL,
    points BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    status_reason TEXT,
    network_status TEXT,
    postback_url TEXT,
    postback_data JSONB,
    postback_status TEXT NOT NULL,
    fraud_score INTEGER NOT NULL,
    fraud_status TEXT NOT NULL,
    UNIQUE (network_id, transaction_id)
);
CREATE INDEX ix_conversions_created ON offerwall_conversions_detailed (created_at);
CREATE INDEX ix_conversions_click ON offerwall_conversions_detailed (click_id);
CREATE INDEX ix_conversions_user_offer ON offerwall_conversions_detailed (publisher_id, user_id, offer_id);
CREATE INDEX ix_conversions_offer ON offerwall_conversions_detailed (offer_id, created_at);

CREATE TABLE offerwall_fraud_signals (
    signal_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    entity_type TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL,
    severity TEXT NOT NULL,
    weight INTEGER NOT NULL,
    user_id TEXT COLLATE "C",
    offer_id TEXT COLLATE "C",
    publisher_id TEXT COLLATE "C",
    country_code TEXT COLLATE "C",
    details JSONB NOT NULL
);
CREATE INDEX ix_signals_created ON offerwall_fraud_signals (created_at);
CREATE INDEX ix_signals_entity ON offerwall_fraud_signals (entity_id);

CREATE TABLE user_points (
    publisher_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    total_points BIGINT NOT NULL,
    available_points BIGINT NOT NULL,
    pending_points BIGINT NOT NULL,
    redeemed_points BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (publisher_id, user_id)
);

CREATE TABLE user_points_transactions (
    transaction_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL,
    conversion_id TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    balance TEXT COLLATE "C" NOT NULL,
    points BIGINT NOT NULL
);
CREATE INDEX ix_points_tx_user ON user_points_transactions (publisher_id, user_id, created_at);
CREATE INDEX ix_points_tx_conversion ON user_points_transactions (conversion_id);

CREATE TABLE publisher_earnings (
    earning_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    placement_id TEXT COLLATE "C" NOT NULL,
    offer_id TEXT COLLATE "C" NOT NULL,
    conversion_id TEXT COLLATE "C" NOT NULL,
    earnings BIGINT NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    earnings_base BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    paid_at BIGINT
);
CREATE INDEX ix_earnings_publisher ON publisher_earnings (publisher_id, created_at);
CREATE INDEX ix_earnings_conversion ON publisher_earnings (conversion_id);

CREATE TABLE network_payouts (
    payout_id TEXT COLLATE "C" PRIMARY KEY,
    created_at BIGINT NOT NULL,
    network_id TEXT COLLATE "C" NOT NULL,
    offer_id TEXT COLLATE "C" NOT NULL,
    conversion_id TEXT COLLATE "C" NOT NULL,
    payout BIGINT NOT NULL,
    currency TEXT COLLATE "C" NOT NULL,
    payout_base BIGINT NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    paid_at BIGINT
);
CREATE INDEX ix_payouts_network ON network_payouts (network_id, created_at);
CREATE INDEX ix_payouts_conversion ON network_payouts (conversion_id);

-- Hourly rollups, incremented by the writer in the same transaction as the events. Each writer loop increments its
-- own rows (writer_shard), so that parallel writers never wait on each other's row locks; readers sum the shards.
CREATE TABLE rollup_hourly (
    hour BIGINT NOT NULL,
    writer_shard INTEGER NOT NULL,
    publisher_id TEXT COLLATE "C" NOT NULL,
    placement_id TEXT COLLATE "C" NOT NULL,
    offer_id TEXT COLLATE "C" NOT NULL,
    country_code TEXT COLLATE "C" NOT NULL,
    device_type TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    sessions BIGINT NOT NULL,
    impressions BIGINT NOT NULL,
    clicks BIGINT NOT NULL,
    conversions BIGINT NOT NULL,
    network_payout BIGINT NOT NULL,
    user_reward BIGINT NOT NULL,
    publisher_commission BIGINT NOT NULL,
    platform_revenue BIGINT NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (hour, publisher_id, placement_id, offer_id, country_code, device_type, status, writer_shard)
);
