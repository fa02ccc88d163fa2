package dev.kiebot.runtime.config;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that opens one door (the Telegram webhook, the Kie callback): the operator's variable when set,
 * else derived from the bot token under the door's own label, so knowing one door's secret opens no other and a
 * restart keeps the registered URLs valid.
 */
final class DoorSecret {
    /** Telegram's {@code secret_token} alphabet and length; the Kie token follows the same rule. */
    private static final String ALPHABET = "[A-Za-z0-9_-]{16,256}";
    private static final int DERIVED_LENGTH = 40;

    private DoorSecret() {
    }

    static String read(Env env, String variable, String botToken, String label) {
        Optional<String> given = env.secret(variable);
        if (given.isPresent() && !given.get().matches(ALPHABET)) {
            env.problem(variable + " must be 16-256 characters of A-Z a-z 0-9 _ - (or unset to derive it)");
            given = Optional.empty();
        }
        String secret = given.orElseGet(() -> derived(botToken, label));
        env.secretValue(secret);
        return secret;
    }

    /**
     * A door's secret of before, still let in for a while after a rotation: given, of the same alphabet, and not the
     * one in use (that would keep nothing of before and say a rotation that was not done).
     */
    static Optional<String> previous(Env env, String variable, String current) {
        Optional<String> given = env.secret(variable);
        if (given.isPresent() && !given.get().matches(ALPHABET)) {
            env.problem(variable + " must be 16-256 characters of A-Z a-z 0-9 _ - (or unset)");
            return Optional.empty();
        }
        if (given.isPresent() && given.get().equals(current)) {
            env.problem(variable + " is the secret in use: set it to the one before the rotation, or unset it");
            return Optional.empty();
        }
        given.ifPresent(env::secretValue);
        return given;
    }

    /** HMAC-SHA256 of the label under the bot token, as hex: stable for as long as the token is. */
    static String derived(String botToken, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(botToken.isEmpty() ? new byte[1] : botToken.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, DERIVED_LENGTH);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
