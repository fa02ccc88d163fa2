-- Users, conversation state, the free daily allowance, Stars invoices and charges.
CREATE TABLE users (
    id                bigint      PRIMARY KEY,
    first_name        text        NOT NULL,
    username          text,
    language_code     text,
    language_override text,
    terms_accepted    boolean     NOT NULL DEFAULT false,
    blocked           boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    -- lower-cased in Java (Locale.ROOT) so search does not depend on the database's locale
    search_text       text        NOT NULL
);
CREATE INDEX users_created ON users (created_at DESC, id);

-- The ChatStateCodec text of each chat's session; version repeats the session's version for admins.
CREATE TABLE chat_states (
    chat_id    bigint      PRIMARY KEY,
    version    bigint      NOT NULL,
    state      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Free generations (ledger.md invariant 14): one row per used allowance, one lock row per user and day.
CREATE TABLE free_use_days (
    user_id bigint NOT NULL,
    day     date   NOT NULL,
    PRIMARY KEY (user_id, day)
);
CREATE TABLE free_uses (
    user_id bigint      NOT NULL,
    day     date        NOT NULL,
    key     text        NOT NULL,
    used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, day, key)
);

CREATE TABLE invoices (
    payload    text        PRIMARY KEY,
    user_id    bigint      NOT NULL,
    stars      bigint      NOT NULL CHECK (stars > 0),
    amount     bigint      NOT NULL CHECK (amount > 0),
    created_at timestamptz NOT NULL
);

-- invariant 11: a telegram_payment_charge_id is recorded once
CREATE TABLE stars_charges (
    charge_id text        PRIMARY KEY,
    user_id   bigint      NOT NULL,
    payload   text        NOT NULL,
    stars     bigint      NOT NULL,
    amount    bigint      NOT NULL,
    at        timestamptz NOT NULL
);
CREATE INDEX stars_charges_user ON stars_charges (user_id, at DESC);
