package dev.kiebot.core.reply;

/** Downloads a file a user sent (port). The Telegram file URL embeds the token and never leaves the adapter. */
public interface FileSource {
    /** Largest file the Bot API lets a bot download. */
    long DOWNLOAD_BYTES_MAX = 20L * 1024 * 1024;

    /**
     * Fetches a file a user sent, by the platform's file id, so the job worker can upload it to the provider. Called
     * on a job worker thread, outside any transaction, before the job's task is created.
     *
     * @throws FileTooLargeException when the file exceeds {@link #DOWNLOAD_BYTES_MAX}
     * @throws java.io.IOException   when it cannot be downloaded (the job is read again later and, while it keeps
     *                               failing, fails with a refund at its deadline)
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
