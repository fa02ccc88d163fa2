/**
 * kiebot's own test support shared by the modules' tests (through core-testing's test-jar), not partner API: waits
 * whose bound does not count the time the JVM was kept from running ({@link dev.kiebot.testing.Patience},
 * {@link dev.kiebot.testing.JvmStalls}). Here because every module's tests already depend on core-testing, and these
 * depend on the JDK only; the jar partners add does not hold them.
 */
package dev.kiebot.testing;
