package dev.kiebot.core.conversation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the files of an order being made came from: each file's message and the platform's id of its content
 * ({@code Event.Media.messageId}, {@code uniqueId}). By the message, a file replaced by editing it ({@link
 * Event.EditedMedia}) replaces the one it gave; by the content's id, the same photo sent twice for one field is told
 * apart from two. Kept among the order's values under {@link #KEY}, one line per file (its id, message, content's id,
 * tab-separated), and never sent anywhere; a file no longer in the order is passed over wherever it is read.
 */
record SentFiles(List<Entry> entries) {
    /** The key of the order's values the lines are kept under. */
    static final String KEY = "~sent_files";

    /** One file of the order, the message it came in and its content's id, where the platform said them. */
    record Entry(String fileId, Optional<Long> messageId, Optional<String> uniqueId) {
        /** Whether {@code media} is this same file (its content's id, or else its file id). */
        boolean sameFile(Event.Media media) {
            return (uniqueId.isPresent() && media.uniqueId().isPresent()) ? uniqueId.equals(media.uniqueId())
                    : fileId.equals(media.fileId());
        }
    }

    SentFiles {
        entries = List.copyOf(entries);
    }

    /** The files of {@code values}; none when it keeps none (an order from before, or with no files). */
    @SuppressWarnings("StringSplitter") // its own encoding: empty trailing lines carry nothing
    static SentFiles of(Map<String, String> values) {
        String kept = values.get(KEY);
        List<Entry> out = new ArrayList<>();
        if (kept != null) {
            for (String line : kept.split("\n")) {
                String[] part = line.split("\t", -1);
                if (part.length != 3 || part[0].isEmpty()) {
                    continue; // unreadable: the file is simply not known
                }
                Optional<Long> message;
                try {
                    message = part[1].isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(part[1]));
                } catch (NumberFormatException e) {
                    message = Optional.empty();
                }
                out.add(new Entry(part[0], message, part[2].isEmpty() ? Optional.empty() : Optional.of(part[2])));
            }
        }
        return new SentFiles(out);
    }

    /** The file message {@code messageId} gave, among {@code files} (the order's files now). */
    Optional<Entry> fromMessage(long messageId, Map<String, List<String>> files) {
        Set<String> now = ids(files.values());
        return entries.stream().filter(e -> e.messageId().equals(Optional.of(messageId)) && now.contains(e.fileId()))
                .reduce((first, last) -> last);
    }

    /** Whether {@code media} is one of {@code have} (a field's files now) sent again: the same content. */
    boolean sentAgain(Event.Media media, List<String> have) {
        return media.uniqueId().isPresent() && entries.stream()
                .anyMatch(e -> have.contains(e.fileId()) && e.uniqueId().equals(media.uniqueId()));
    }

    /**
     * {@code values} with {@code media} kept as one of the order's files ({@code replaced}: the file it takes the
     * place of, gone), the lines of files no longer in {@code files} dropped.
     */
    static Map<String, String> with(Map<String, String> values, Event.Media media, Optional<String> replaced,
                                    Map<String, List<String>> files) {
        Set<String> now = ids(files.values());
        List<Entry> kept = new ArrayList<>(of(values).entries().stream()
                .filter(e -> now.contains(e.fileId()) && replaced.filter(e.fileId()::equals).isEmpty()).toList());
        if (media.messageId().isPresent() || media.uniqueId().isPresent()) {
            kept.add(new Entry(media.fileId(), media.messageId(), media.uniqueId())); // else nothing to tell it by
        }
        Map<String, String> out = new HashMap<>(values);
        if (kept.isEmpty()) {
            out.remove(KEY);
            return out;
        }
        out.put(KEY, kept.stream().map(e -> clean(e.fileId()) + "\t" + e.messageId().map(String::valueOf).orElse("")
                + "\t" + e.uniqueId().map(SentFiles::clean).orElse("")).collect(Collectors.joining("\n")));
        return out;
    }

    private static Set<String> ids(Collection<List<String>> lists) {
        return lists.stream().flatMap(List::stream).collect(Collectors.toSet());
    }

    /** An id as a line's part: no tab or line break (no platform's id has them) to break the lines. */
    private static String clean(String id) {
        return id.replace('\t', ' ').replace('\n', ' ');
    }
}
