package dev.kiebot.core.testing;

import dev.kiebot.core.reply.FileSource;
import java.io.IOException;

/**
 * Serves a few bytes for any file id, beginning as a JPEG does (the job worker checks a picture's first bytes before
 * it goes to the provider); "big-*" ids are too large.
 */
public final class FakeFiles implements FileSource {
    /** Serves a few bytes for every id but the "big-*" ones. */
    public FakeFiles() {
    }

    @Override
    public DownloadedFile download(String fileId) throws IOException {
        if (fileId.startsWith("big-")) {
            throw new FileTooLargeException(30L * 1024 * 1024);
        }
        return new DownloadedFile(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3},
                fileId + ".jpg", "image/jpeg");
    }
}
