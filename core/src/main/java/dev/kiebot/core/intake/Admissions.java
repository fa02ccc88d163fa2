package dev.kiebot.core.intake;

import java.time.Instant;
import java.util.Optional;

/**
 * The per-user inbound limit's memory (port), shared by every instance: applies
 * {@link AdmissionPolicy#decide} to the user's stored state atomically, so two instances handling
 * the same user's updates count each action once.
 */
public interface Admissions {
    /**
     * @param pressed the button data when the action is a button press
     */
    Admission admit(long userId, Optional<String> pressed, Instant now, AdmissionPolicy policy);
}
