/**
 * Fakes of core's ports for tests: {@code MutableClock}, {@code RecordingMessenger} (can script faults),
 * {@code ScriptedProvider}, {@code ScriptedStarsRefunds}, {@code RecordingCharts}, {@code FakeFiles}, a small
 * {@code TestCatalog} and {@code ShopHarness} (a whole shop in memory, driven one update at a time); and bases to put
 * in front of a real port and override one call a test counts, slows down or makes fail: {@code ForwardingProvider},
 * {@code ForwardingPendingReplies}, {@code ForwardingProcessedUpdates} and {@code ForwardingAudit} (core's own {@code ForwardingJobs} and {@code ForwardingLedger} do the same for
 * production code). Add {@code core-testing} as a test dependency only: its stores are in memory.
 */
package dev.kiebot.core.testing;
