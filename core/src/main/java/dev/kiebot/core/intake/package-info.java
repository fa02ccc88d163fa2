/**
 * Updates coming in. Ports: {@code ProcessedUpdates} (the durable inbox: each update id once, one chat at a
 * time in order, across instances), {@code SingletonLock} (one poller), {@code Admissions} (the per-user
 * inbound limit's memory). Rule: {@code AdmissionPolicy.decide} — a token bucket per user and the
 * repeated-press window — lives here once; stores only keep its {@code AdmissionState}. Rule: {@code ReplayHorizon} —
 * an update dated more than {@code ReplayHorizon.AGE} (6 days, the handled ids' retention less a day) before it
 * arrives is refused at the door, by {@code Inbox.record}'s dated form and by kiebot's runtime's door alike.
 * Loop: {@code Inbox} — records each update once, then claims, handles and marks it done in one transaction, and
 * gives up one whose handling failed with one apology or leaves it pending, by the failure's kind, counting the
 * failures in a row in a bounded {@code FailuresInARow} (kiebot's runtime's {@code UpdateDispatcher} is this loop,
 * over {@code Inbox.Parts} with an {@code Inbox.Watch} of its own).
 *
 * <p>For a partner: take updates through {@code Inbox} ({@code record} at your door, its handler threads from
 * {@code Inbox.start}, {@code InboxThreads}), so that a platform's re-delivery is not handled twice, and give
 * {@code record} the update's own date when your platform sends one, so that one posted again after its id was
 * forgotten is refused (README's embedding section shows the few lines), and implement {@code ProcessedUpdates}
 * (core-testing's {@code QueuesContract}; {@code oldestPending} feeds the admins' stuck-updates alert and a gauge
 * of a stuck inbox) and {@code Admissions} ({@code StoresContract}); the limit is set with {@code ShopSettings.withAdmission}.
 * {@code SingletonLock} is only for a long-polling runner that must run alone: it is not one of the {@code Stores}.
 */
package dev.kiebot.core.intake;
