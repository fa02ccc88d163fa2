package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ErrorKind;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a job failed, as {@link Generations}' {@code fail} methods keep it: the key of what its user is told, and the
 * provider's kind of error when the provider's was the failure ({@code Job.failureKind()}). Made from the kind, the key
 * is the kind's own ({@link ErrorKind#messageKey()}), derived here once: four callers of five derived it by hand.
 *
 * @param key  a {@code Msg} key, what the user is told
 * @param kind the provider's kind of the error; empty for a failure of the shop's own
 */
record FailureReason(String key, Optional<ErrorKind> kind) {
    FailureReason {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
    }

    /** The provider's kind of error, told the user as the kind says ({@link ErrorKind#messageKey()}). */
    static FailureReason of(ErrorKind kind) {
        return new FailureReason(kind.messageKey(), Optional.of(kind));
    }

    /** A failure of the shop's own (a file, a clip, a deadline), with no provider's kind. */
    static FailureReason shops(String key) {
        return new FailureReason(key, Optional.empty());
    }

    /** The same kind, told the user otherwise (a model the provider no longer runs: {@link WithdrawnModels}). */
    FailureReason toldAs(String otherKey) {
        return new FailureReason(otherKey, kind);
    }
}
