package dev.kiebot.core.reply;

/** Downloads a file a user sent (port). The Telegram file URL embeds the token and never leaves the adapter. */
public interface FileSource {
    /** Largest file the Bot API lets a bot download. */
    long DOWNLOAD_BYTES_MAX = 20L * 1024 * 1024;

    /**
     * @throws FileTooLargeException when the file exceeds {@link #DOWNLOAD_BYTES_MAX}
     * @throws java.io.IOException   when it cannot be downloaded
     */
    DownloadedFile download(String fileId) throws java.io.IOException;

    record DownloadedFile(byte[] content, String fileName, String mimeType) {
    }

    final class FileTooLargeException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        public FileTooLargeException(long size) {
            super("file of " + size + " bytes is over the 20 MB Bot API limit");
        }
    }
}
