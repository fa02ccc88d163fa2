package dev.kiebot.postgres;

import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.AdmissionState;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.pacing.TokenBucket;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The per-user inbound limit in PostgreSQL, shared by every instance. The rule is core's
 * {@link AdmissionPolicy#decide}; this store only creates-or-locks the user's row, and writes the next state
 * in the same transaction, so concurrent instances (and a new user's first racing updates) count each action
 * once. Two statements and a commit per user action; no table scan, no global lock.
 */
public final class PgAdmissions implements Admissions {
    /** Creates the row of a new user or locks the existing one, and returns it: one statement either way. */
    private static final String LOCK = "INSERT INTO admissions (user_id, tokens, refilled_at, quiet_until, "
            + "last_press, last_press_at) VALUES (:u, :tokens, :refilled, :quiet, NULL, :pressAt) "
            + "ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id RETURNING *";
    private static final String SAVE = "UPDATE admissions SET tokens = :tokens, refilled_at = :refilled, "
            + "quiet_until = :quiet, last_press = :press, last_press_at = :pressAt WHERE user_id = :u";

    private final Jdbi jdbi;

    public PgAdmissions(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Admission admit(long userId, Optional<String> pressed, Instant now, AdmissionPolicy policy) {
        return Sql.retrying(jdbi, "admit", () -> jdbi.inTransaction(h -> {
            AdmissionState fresh = policy.fresh(now);
            AdmissionState state = h.createQuery(LOCK)
                    .bind("u", userId)
                    .bind("tokens", fresh.bucket().tokens())
                    .bind("refilled", Sql.ts(fresh.bucket().refilledAt()))
                    .bind("quiet", Sql.ts(fresh.quietUntil()))
                    .bind("pressAt", Sql.ts(fresh.lastPressAt()))
                    .map((rs, ctx) -> new AdmissionState(new TokenBucket(rs.getDouble("tokens"),
                            Sql.instant(rs, "refilled_at")), Sql.instant(rs, "quiet_until"),
                            Sql.optionalString(rs, "last_press"), Sql.instant(rs, "last_press_at")))
                    .one();
            AdmissionPolicy.Decision d = policy.decide(state, now, pressed);
            AdmissionState next = d.state();
            h.createUpdate(SAVE)
                    .bind("u", userId)
                    .bind("tokens", next.bucket().tokens())
                    .bind("refilled", Sql.ts(next.bucket().refilledAt()))
                    .bind("quiet", Sql.ts(next.quietUntil()))
                    .bind("press", next.lastPress().orElse(null))
                    .bind("pressAt", Sql.ts(next.lastPressAt()))
                    .execute();
            return d.admission();
        }));
    }
}
