-- Models an admin took off sale for a while (/pause): kept across restarts, seen by every instance.
CREATE TABLE paused_models (
    model_id  text        PRIMARY KEY,
    paused_at timestamptz NOT NULL
);
