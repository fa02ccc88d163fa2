package dev.kiebot.core.jobs;

/**
 * Inputs that the model's schema rejects, found before anything is sent.
 *
 * @param field      the offending field
 * @param messageKey what the user is told
 */
public record InputProblem(String field, String messageKey) {
}
