package dev.kiebot.core.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of the audit trail.
 *
 * @param at            when it happened, by the shop's clock
 * @param actor         who did it: a masked user id, {@code admin:<masked>} or {@code system}
 * @param action        what happened ({@code job.failed}, {@code topup.stars}, ...)
 * @param detail        the particulars, for a person: amounts, reasons, ids
 * @param correlationId the job id or payment id it belongs to
 */
public record AuditEvent(Instant at, String actor, String action, String detail,
                         Optional<String> correlationId) {
}
