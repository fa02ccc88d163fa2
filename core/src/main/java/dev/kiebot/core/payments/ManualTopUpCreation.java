package dev.kiebot.core.payments;

import java.util.List;

/** What {@link ManualTopUps#create(ManualTopUpDraft, int)} did with a new request. */
public sealed interface ManualTopUpCreation {

    /**
     * Stored now, or found under the draft's key (asked again in the same update).
     *
     * @param request the stored request
     */
    record Created(ManualTopUp request) implements ManualTopUpCreation {
    }

    /** Nothing stored: another request has the reference; pick another code and try again. */
    record ReferenceTaken() implements ManualTopUpCreation {
    }

    /**
     * Nothing stored: the user already has as many open requests as allowed.
     *
     * @param open his open requests, oldest first
     */
    record TooManyOpen(List<ManualTopUp> open) implements ManualTopUpCreation {
        /**
         * Keeps a copy.
         *
         * @param open never null
         */
        public TooManyOpen {
            open = List.copyOf(open);
        }
    }
}
