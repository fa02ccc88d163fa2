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
     * Applies {@code policy.decide} to the user's stored state (or {@code policy.fresh} for a user it has none for)
     * and stores the next state, atomically per user, inside the caller's transaction.
     *
     * @param userId  the user
     * @param pressed the button data when the action is a button press
     * @param now     the shop's clock's instant
     * @param policy  the user's policy ({@code ShopSettings.admissionFor})
     * @return the decision
     */
    Admission admit(long userId, Optional<String> pressed, Instant now, AdmissionPolicy policy);
}
