/**
 * The audit trail: every step of every job, every payment anomaly and every admin action, as
 * {@code AuditEvent}s with a correlation id: a job's ({@code gen_12}), a Stars payment's charge id as Telegram gave
 * it (its credit and refunds), {@code pay:<charge>} for a payment that was not credited, an external payment's credit
 * id. Port: {@code Audit}
 * (append, search by correlation, purge after the retention). Rule: events are appended, never changed.
 *
 * <p>For a partner: implement {@code Audit} in your {@code Stores} (core-testing's {@code StoresContract} checks it)
 * and read it to follow one generation or payment by its correlation id; core writes every event.
 */
package dev.kiebot.core.audit;
