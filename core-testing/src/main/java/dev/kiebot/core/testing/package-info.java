/**
 * Fakes of core's ports for tests and examples: {@code MutableClock}, {@code RecordingMessenger} (can
 * script faults), {@code ScriptedProvider}, {@code FakeFiles}, a small {@code TestCatalog} and
 * {@code ShopHarness} (a whole shop in memory). Add {@code core-testing} as a test dependency.
 */
package dev.kiebot.core.testing;
