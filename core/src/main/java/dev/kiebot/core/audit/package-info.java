/**
 * The audit trail: every step of every job, every payment anomaly and every admin action, as
 * {@code AuditEvent}s with a correlation id ({@code gen_12}, {@code pay:<charge>}). Port: {@code Audit}
 * (append, search by correlation, purge after the retention). Rule: events are appended, never changed.
 */
package dev.kiebot.core.audit;
