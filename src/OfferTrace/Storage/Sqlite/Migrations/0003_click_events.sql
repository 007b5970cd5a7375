-- Ad-click forensics: the sites that embed the tracker, their click events (the 24 data points plus what the server
-- derived), imported campaign costs and the conversions already exported to Google Ads (for retractions).
CREATE TABLE sites (
    site_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    allowed_origins TEXT NOT NULL,
    currency TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    conversions TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE click_events (
    event_id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    site_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    element_id TEXT,
    fingerprint TEXT,
    ip TEXT NOT NULL,
    user_agent TEXT,
    gclid TEXT,
    gbraid TEXT,
    wbraid TEXT,
    campaign TEXT,
    source TEXT,
    medium TEXT,
    keyword TEXT,
    local_hour INTEGER,
    local_day INTEGER,
    time_on_page BIGINT,
    location TEXT,
    is_webdriver BOOLEAN,
    screen_res TEXT,
    browser_tz TEXT,
    human_score INTEGER,
    device_memory DOUBLE PRECISION,
    hardware_concurrency INTEGER,
    connection_type TEXT,
    page_url TEXT,
    referrer_url TEXT,
    value BIGINT,
    currency TEXT,
    country_code TEXT,
    city TEXT,
    asn BIGINT,
    as_org TEXT,
    is_datacenter BOOLEAN NOT NULL,
    is_tor BOOLEAN NOT NULL,
    is_vpn BOOLEAN NOT NULL,
    is_proxy BOOLEAN NOT NULL,
    device_type TEXT,
    os TEXT,
    browser TEXT,
    fraud_score INTEGER NOT NULL,
    fraud_status TEXT NOT NULL
);
CREATE INDEX ix_click_events_created ON click_events (created_at);
CREATE INDEX ix_click_events_site_created ON click_events (site_id, created_at);
CREATE INDEX ix_click_events_ip_created ON click_events (ip, created_at);
CREATE INDEX ix_click_events_gclid ON click_events (gclid);

-- One cost per day and campaign; a later upload of the same day and campaign replaces it.
CREATE TABLE campaign_costs (
    cost_date TEXT NOT NULL,
    campaign TEXT NOT NULL,
    cost BIGINT NOT NULL,
    currency TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (cost_date, campaign)
);

-- What an offline conversion file has handed to Google Ads, so a later fraud verdict can be retracted.
CREATE TABLE google_ads_exports (
    event_id TEXT PRIMARY KEY,
    gclid TEXT NOT NULL,
    conversion_name TEXT NOT NULL,
    conversion_time BIGINT NOT NULL,
    value BIGINT NOT NULL,
    currency TEXT NOT NULL,
    exported_at BIGINT NOT NULL,
    retracted_at BIGINT
);
