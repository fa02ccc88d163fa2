/**
 * A generation's life: {@code Job} and its state machine ({@code JobState}: CREATED → HELD → SUBMITTING →
 * SUBMITTED → RUNNING → SUCCEEDED → DELIVERED, or FAILED), results, polling policy and the provider's error
 * kinds. Ports: {@code Jobs} (persistence, leasing; {@code Jobs.transition} is the one compare-and-set
 * loop; {@code ForwardingJobs} a base for a store that watches another) and {@code GenerationProvider} (Kie.ai or a
 * stub). Rule: a job in SUBMITTING after a crash is never
 * submitted again.
 */
package dev.kiebot.core.jobs;
