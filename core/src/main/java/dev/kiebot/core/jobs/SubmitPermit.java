package dev.kiebot.core.jobs;

/**
 * The right to send one createTask now, from {@link GenerationProvider#awaitSubmitPermit()}, carried to the send in
 * its {@link SubmitRequest#permit()}. A provider with a rate limit of its own gives a permit of its own type and
 * honours only those (one it did not give, or one gone stale, it takes its own for, as it would without one); every
 * other provider gives {@link #UNLIMITED}. The shop waits for it while the job is still HELD, so that a process cut off
 * during the wait leaves a job it simply sends again, not one whose createTask might be at the provider.
 */
public interface SubmitPermit {
    /** The permit of a provider with no limit on its sends: given at once, by the default. */
    SubmitPermit UNLIMITED = new SubmitPermit() {
        @Override
        public String toString() {
            return "SubmitPermit.UNLIMITED";
        }
    };
}
