package dev.kiebot.core.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * A Telegram Stars payment as recorded at {@code successful_payment}.
 *
 * @param chargeId {@code telegram_payment_charge_id}, unique
 * @param amount   minor units credited to the wallet
 */
public record StarsCharge(String chargeId, long userId, String payload, long stars, long amount,
                          Instant at) {

    /** The same payment (a re-delivery), whatever the time it was seen. */
    public boolean sameAs(StarsCharge other) {
        return chargeId.equals(other.chargeId) && userId == other.userId && payload.equals(other.payload)
                && stars == other.stars && amount == other.amount;
    }

    /** Characters of {@link #reference()}: 96 bits, so two charges of one user never share one. */
    public static final int REFERENCE_LENGTH = 16;

    /**
     * A short, stable name of this charge for buttons: Telegram's charge ids are longer than a button's 64 bytes
     * of data. It is looked up among one user's charges, never alone.
     */
    public String reference() {
        return reference(chargeId);
    }

    public static String reference(String chargeId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chargeId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, REFERENCE_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
