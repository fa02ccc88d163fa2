package dev.kiebot.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A request's body as a door receives it: not read until the door has let the request in, and then no further than
 * the door's limit. A client that sends its body in chunks declares no length, so a limit that reads only
 * {@code Content-Length} (Javalin's) never sees it, and a body read whole before the secret is checked lets anyone
 * fill the heap.
 */
@FunctionalInterface
public interface RequestBody {
    /** The body's stream, positioned at its start; opened at most once, by {@link #upTo}. */
    InputStream open() throws IOException;

    /**
     * The body's bytes when it has at most {@code max} of them; empty when it is longer, and then the rest is never
     * read.
     *
     * @throws IOException when the client's stream breaks off
     */
    default Optional<byte[]> upTo(int max) throws IOException {
        byte[] bytes = open().readNBytes(max + 1);
        return bytes.length > max ? Optional.empty() : Optional.of(bytes);
    }

    /** A body already in hand (tests, and callers that hold it). */
    static RequestBody of(byte[] bytes) {
        return () -> new java.io.ByteArrayInputStream(bytes);
    }
}
