/**
 * The start-up smoke test ({@code SMOKE_TEST_ON_START}): the proof that a deploy really generates. {@code SmokePlan}
 * picks the model and its inputs ({@code SMOKE_TEST_MODEL_ID}, else the cheapest image model that needs no file) and
 * is checked at start with the other settings, so a wrong plan stops the start rather than failing later.
 * {@code SmokeTest} then runs one real generation in the background: the price held on a system account of its own
 * and released (nobody pays), the task created at Kie, its result awaited (a Kie callback ends the wait early) and
 * downloaded ({@code ResultDownload}), each step timed; {@code SmokeReport} logs the outcome and tells every admin.
 *
 * <p>It never holds up readiness and does not run under {@code KIE_STUB}, where nothing would reach Kie. It talks
 * to the ledger and the provider directly, not through the shop's conversation: no user, chat or job is involved.
 */
package dev.kiebot.runtime.smoke;
