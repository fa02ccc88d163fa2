package dev.kiebot.core.jobs;

import java.util.Objects;
import java.util.Optional;

/**
 * One file of a delivered result as a store keeps it for re-sends ({@link Jobs#addDeliveredFiles}): what it went as,
 * and the provider's URL of that very file, which goes instead should the platform refuse the id. Kept side by side,
 * not as two lists paired by their order: a job's files reach the chat in another order than the result's when some
 * come later (sent again after a block), and a refused id then went by another file's URL.
 *
 * @param source what the file went as: the platform's file id (Telegram's {@code file_id}), or its URL when it went as
 *               its link
 * @param url    the provider's URL of this file; empty when not known (kept by a build that kept no URL beside it)
 */
public record DeliveredFile(String source, Optional<String> url) {
    /**
     * Checks the parts.
     *
     * @param source as the platform gave it (not checked further: a file that reached the chat is kept whatever id
     *               a messenger gave it)
     * @param url    {@code Optional.empty()} when not known; a present one not blank (a store may keep "none" as blank)
     * @throws IllegalArgumentException for a blank URL
     */
    public DeliveredFile {
        Objects.requireNonNull(source, "DeliveredFile: source, the file id or URL it went as");
        Objects.requireNonNull(url, "DeliveredFile: url, Optional.empty() when not known");
        if (url.filter(String::isBlank).isPresent()) {
            throw new IllegalArgumentException("DeliveredFile: a blank URL; Optional.empty() when not known");
        }
    }

    /**
     * A file that went as {@code source} from the provider's {@code url}.
     *
     * @param source the platform's file id, or the URL it went as
     * @param url    the provider's URL of the file
     * @return the file
     */
    public static DeliveredFile of(String source, String url) {
        return new DeliveredFile(source, Optional.of(url));
    }
}
