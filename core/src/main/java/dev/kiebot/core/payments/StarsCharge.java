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
 * @param userId   the payer
 * @param payload  the invoice it paid ({@link Invoice#payload()})
 * @param stars    Stars paid
 * @param amount   minor units credited to the wallet
 * @param at       when it was recorded
 */
public record StarsCharge(String chargeId, long userId, String payload, long stars, long amount,
                          Instant at) {

    /**
     * The same payment (a re-delivery), whatever the time it was seen.
     *
     * @param other the charge recorded under the same id
     * @return true when every field but the time is equal
     */
    public boolean sameAs(StarsCharge other) {
        return chargeId.equals(other.chargeId) && userId == other.userId && payload.equals(other.payload)
                && stars == other.stars && amount == other.amount;
    }

    /** Characters of {@link #reference()}: 96 bits, so two charges of one user never share one. */
    public static final int REFERENCE_LENGTH = 16;

    /**
     * A short, stable name of this charge for buttons: Telegram's charge ids are longer than a button's 64 bytes
     * of data. It is looked up among one user's charges, never alone.
     *
     * @return {@value #REFERENCE_LENGTH} URL-safe characters
     */
    public String reference() {
        return reference(chargeId);
    }

    /**
     * {@link #reference()} of the charge with this id.
     *
     * @param chargeId the platform's charge id
     * @return {@value #REFERENCE_LENGTH} URL-safe characters of its digest
     */
    public static String reference(String chargeId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chargeId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, REFERENCE_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
