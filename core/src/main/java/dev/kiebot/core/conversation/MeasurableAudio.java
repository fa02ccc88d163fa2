package dev.kiebot.core.conversation;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an audio file says it is of a format whose length the job worker can measure from its bytes (MP3, WAV, Ogg
 * Opus and Ogg Vorbis, which {@code shop.ClipLength} reads). A clip field's price assumes the clip's length, so the
 * worker refunds a clip it cannot measure; asked here when the file comes, the user hears it at once instead of after
 * paying and waiting. What the file says (its MIME type, else its name) is the sender's word: the worker measures
 * anyway.
 */
final class MeasurableAudio {
    private static final Set<String> TYPES = Set.of("audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3",
            "audio/x-mp3", "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/ogg", "audio/opus",
            "audio/x-opus+ogg", "audio/vorbis", "audio/x-vorbis+ogg");
    private static final Set<String> EXTENSIONS = Set.of("mp3", "wav", "wave", "ogg", "oga", "opus");

    private MeasurableAudio() {
    }

    /** True unless the file names a format the worker cannot measure (one that names none is measured and seen). */
    static boolean claims(Event.Media media) {
        Optional<String> type = media.mimeType().map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty());
        if (type.isPresent()) {
            return TYPES.contains(type.get());
        }
        Optional<String> extension = media.fileName().filter(n -> n.lastIndexOf('.') > 0)
                .map(n -> n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        return extension.map(EXTENSIONS::contains).orElse(true);
    }
}
