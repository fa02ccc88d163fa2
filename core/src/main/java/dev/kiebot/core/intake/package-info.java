/**
 * Updates coming in. Ports: {@code ProcessedUpdates} (the durable inbox: each update id once, one chat at a
 * time in order, across instances), {@code SingletonLock} (one poller), {@code Admissions} (the per-user
 * inbound limit's memory). Rule: {@code AdmissionPolicy.decide} — a token bucket per user and the
 * repeated-press window — lives here once; stores only keep its {@code AdmissionState}.
 */
package dev.kiebot.core.intake;
