-- WELCOME_DAILY_TOTAL: welcome bonuses given a day, every new user together. One row a day, counted up in the new
-- user's transaction under the row's lock (PgFreeUsage.tryWelcome), so instances on one database never give more.
CREATE TABLE welcome_days (
    day   date    PRIMARY KEY,
    given integer NOT NULL CHECK (given > 0)
);
