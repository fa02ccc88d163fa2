package dev.kiebot.webhook.chaos;

import dev.kiebot.postgres.Database;

/** What the killed runner's database holds, for the report of a run and for knowing it is quiet. */
final class CrashFigures {
    private CrashFigures() {
    }

    /** Work still open: jobs not ended, replies unsent, updates not done, card claims undecided. */
    static long open(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT (SELECT count(*) FROM jobs WHERE state NOT IN "
                + "('DELIVERED', 'FAILED')) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM processed_updates "
                + "WHERE done_at IS NULL) + (SELECT count(*) FROM manual_topups WHERE state = 'CLAIMED_PAID')")
                .mapTo(Long.class).one());
    }

    static String of(Database db) {
        return db.jdbi().withHandle(h -> "jobs " + h.createQuery("SELECT coalesce(string_agg(state || ' ' || n, ', ' "
                + "ORDER BY state), 'none') FROM (SELECT state, count(*) n FROM jobs GROUP BY state) s")
                .mapTo(String.class).one()
                + "; Stars charges " + h.createQuery("SELECT count(*) FROM stars_charges").mapTo(Long.class).one()
                + "; card top-ups " + h.createQuery("SELECT coalesce(string_agg(state || ' ' || n, ', ' ORDER BY state),"
                + " 'none') FROM (SELECT state, count(*) n FROM manual_topups GROUP BY state) s").mapTo(String.class)
                .one()
                + "; updates " + h.createQuery("SELECT count(*) FROM processed_updates").mapTo(Long.class).one()
                + "; outbox " + h.createQuery("SELECT count(*) FROM outbox").mapTo(Long.class).one());
    }
}
