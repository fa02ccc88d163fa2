/**
 * A generation's life: {@code Job} and its state machine ({@code JobState}: CREATED → HELD → SUBMITTING →
 * SUBMITTED → RUNNING → SUCCEEDED → DELIVERED, or FAILED; from SUBMITTING back to HELD only for a submit the
 * provider surely did not take, {@code Job.unsent}), results, polling policy and the provider's error kinds. Ports:
 * {@code Jobs} (persistence, leasing; {@code Jobs.transition} is the one compare-and-set loop; {@code ForwardingJobs}
 * a base for a store that watches another) and {@code GenerationProvider} (Kie.ai or a stub;
 * {@code ForwardingGenerationProvider} a base for one that wraps another). Rule: a job in
 * SUBMITTING after a crash is never submitted again.
 *
 * <p>For a partner: implement {@code GenerationProvider} (your AI service: a {@code TaskStatus} for each read, a
 * {@code ProviderException} with its {@code ErrorKind} for each failure; override {@code statusOnce} when your
 * {@code status} retries inside; extend {@code ForwardingGenerationProvider} to wrap one) and {@code Jobs}
 * (core-testing's {@code JobsContract} checks it; extend {@code ForwardingJobs} to watch one); a {@code PollPolicy}
 * goes to {@code Shop.Builder.pollPolicy}. A provider adapter taking the provider's callbacks says what it refuses
 * through a {@code RepeatedLine}: at most once a minute, with a count, however many come.
 */
package dev.kiebot.core.jobs;
