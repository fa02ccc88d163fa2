/**
 * The runtime: what the two runners share, and the one module that combines the adapters. {@link
 * dev.kiebot.runtime.Kiebot} assembles one bot instance from the {@code Settings}: the database (coming up on a
 * thread of its own meanwhile) and its PostgreSQL stores behind core's {@code Stores}, the Telegram and Kie
 * adapters, the catalog (adapters-kie's {@code KieCatalog}, {@code models/} read from that module's jar) and core's
 * {@code Shop}; and it owns what runs around the shop: the update inbox and dispatcher, the
 * reply senders, the background work, health and metrics, the start-up smoke test. {@code startProcessing()}
 * starts the work; {@code close()} stops it in order, the database last.
 *
 * <p>A runner ({@code app-webhook}, {@code app-polling}) asks {@code Kiebot} for its way in (the webhook doors, or
 * long polling under the singleton lock) and adds only its transport: routes, or the polling loop. What the shop
 * does is core's, never decided here; the subpackages each hold one concern of running it: {@code config} (the
 * environment, read once), {@code intake} (updates and
 * Kie callbacks coming in), {@code work} (the threads that do the rest), {@code loops} (the tools every loop of
 * either is built from), {@code http} (health, readiness and {@code /metrics}), {@code metrics}, {@code logging},
 * {@code charts} (core's chart port), {@code smoke} and {@code cli} (operator commands run instead of the bot).
 */
package dev.kiebot.runtime;
