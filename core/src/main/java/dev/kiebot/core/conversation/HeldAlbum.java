package dev.kiebot.core.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of an album held while the order's description is still to come: a photo without a caption, where the
 * model asks for the description first, is the first of an album whose caption Telegram may put on a later file (the
 * second, as well as the first), each file a message of its own. It was answered «Сначала опишите словами…» and
 * dropped, and the caption on the second file then made the order of the album without its first photo. Held, its
 * files go into the order once the description comes, the album's caption or a text typed ({@code InputCollection}),
 * in the order sent, as if the caption had been on the first.
 *
 * <p>Kept among the order's values under {@link #KEY} (the chat's state: no process memory, no thread waiting for
 * the album's rest): the album and when its first file came, then one line per file. At most {@link #MAX} files, an
 * album's most; held for {@link #FOR} from the first, after which they are no longer the order's: a description
 * typed an hour later is no album's.
 *
 * @param album Telegram's {@code media_group_id}
 * @param since when its first file held came
 * @param files the files held, in the order they came
 */
record HeldAlbum(String album, Instant since, List<Event.Media> files) {
    /** The key of the order's values the album is kept under; never sent anywhere. */
    static final String KEY = "~album_held";
    /** The most files held: Telegram's album has ten at most. */
    static final int MAX = 10;
    /**
     * How long the files wait for the description. Telegram sends an album's files within a second; the rest is the
     * time to type a description the note asks for (its words name these minutes, counted from this).
     */
    static final Duration FOR = Duration.ofMinutes(5);

    HeldAlbum {
        files = List.copyOf(files);
    }

    /** The album held in {@code values}, unless its time is over at {@code now} or it cannot be read. */
    static Optional<HeldAlbum> of(Map<String, String> values, Instant now) {
        String kept = values.get(KEY);
        if (kept == null) {
            return Optional.empty();
        }
        @SuppressWarnings("StringSplitter") // the text is the album's own encoding: no empty trailing line to keep
        String[] lines = kept.split("\n");
        String[] head = lines[0].split("\t", -1);
        if (head.length != 2 || head[0].isEmpty()) {
            return Optional.empty();
        }
        Instant since;
        try {
            since = Instant.ofEpochMilli(Long.parseLong(head[1]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (now.isAfter(since.plus(FOR)) || now.isBefore(since)) {
            return Optional.empty();
        }
        List<Event.Media> files = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            file(lines[i], head[0]).ifPresent(files::add);
        }
        return files.isEmpty() ? Optional.empty() : Optional.of(new HeldAlbum(head[0], since, files));
    }

    /** Whether {@code media} came in this album and one more file fits. */
    boolean takes(Event.Media media) {
        return media.album().equals(Optional.of(album)) && files.size() < MAX;
    }

    /**
     * {@code values} with {@code media} held: one more file of {@code held}, or the first of its album (an album held
     * before, of another or past its time, gone).
     */
    static Map<String, String> with(Map<String, String> values, Optional<HeldAlbum> held, Event.Media media,
                                    Instant now) {
        HeldAlbum album = held.filter(h -> h.takes(media)).orElseGet(() -> new HeldAlbum(media.album().orElseThrow(),
                now, List.of()));
        List<Event.Media> files = new ArrayList<>(album.files());
        files.add(media.withCaption(""));
        StringBuilder kept = new StringBuilder(clean(album.album())).append('\t')
                .append(album.since().toEpochMilli());
        for (Event.Media f : files) {
            kept.append('\n').append(String.join("\t", f.type().name(), clean(f.fileId()), Long.toString(f.size()),
                    clean(f.mimeType().orElse("")), clean(f.fileName().orElse("")), Integer.toString(f.seconds()),
                    f.messageId().map(String::valueOf).orElse(""), clean(f.uniqueId().orElse(""))));
        }
        Map<String, String> out = new HashMap<>(values);
        out.put(KEY, kept.toString());
        return out;
    }

    /** {@code values} with no album held. */
    static Map<String, String> without(Map<String, String> values) {
        Map<String, String> out = new HashMap<>(values);
        out.remove(KEY);
        return out;
    }

    private static Optional<Event.Media> file(String line, String album) {
        String[] p = line.split("\t", -1);
        if (p.length != 8 || p[1].isEmpty()) {
            return Optional.empty(); // unreadable: that file is let go, the others still taken
        }
        try {
            return Optional.of(new Event.Media(MediaType.valueOf(p[0]), p[1], Long.parseLong(p[2]), present(p[3]),
                    present(p[4]), Integer.parseInt(p[5]), Optional.empty(), Optional.of(album),
                    p[6].isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(p[6])), present(p[7])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> present(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** A part of a line: no tab or line break (no platform's id has them; a file's name may) to break the lines. */
    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
