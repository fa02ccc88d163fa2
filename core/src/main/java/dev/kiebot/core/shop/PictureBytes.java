package dev.kiebot.core.shop;

import java.util.Optional;

/**
 * Whether a picture's bytes are of a format Kie's image models take: JPEG, PNG or WEBP, told by their first bytes.
 * A file's type as it was sent is the sender's client's word, taken from its name: a PDF or an iPhone's HEIC renamed
 * {@code .jpg} came as {@code image/jpeg}, passed the question's check, and was sent to Kie after the money was held.
 * The same formats as the conversation takes a picture sent as a file in ({@code InputCollection.IMAGE_FORMATS}); a
 * photo sent as a photo is a JPEG (Telegram converts it).
 */
final class PictureBytes {
    private PictureBytes() {
    }

    /** The formats the models take. */
    enum Format { JPEG, PNG, WEBP }

    /** Whether {@code content} begins as a JPEG, a PNG or a WEBP does. */
    static boolean takenByModels(byte[] content) {
        return format(content).isPresent();
    }

    /** @return the format {@code content} begins as; empty when none of the models' */
    static Optional<Format> format(byte[] content) {
        if (startsWith(content, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(Format.JPEG);
        } else if (startsWith(content, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(Format.PNG);
        } else if (startsWith(content, 0, 'R', 'I', 'F', 'F') && startsWith(content, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(Format.WEBP);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] content, int at, int... expected) {
        if (content.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((content[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
