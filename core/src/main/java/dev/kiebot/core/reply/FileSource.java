package dev.kiebot.core.reply;

/** Downloads a file a user sent (port). The Telegram file URL embeds the token and never leaves the adapter. */
public interface FileSource {
    /** Largest file the Bot API lets a bot download (20 MB): {@link #downloadBytesMax()}'s default. */
    long DOWNLOAD_BYTES_MAX = 20L * 1024 * 1024;

    /**
     * The largest file {@link #download} takes from your platform. The conversation refuses a larger one when the
     * user sends it (as its size came with the update: {@code Event.Media.size}) and tells him the figure, in MB of
     * 1024 × 1024 bytes («больше 25 МБ»). Telegram's 20 MB unless you override it: a platform that lets a bot
     * download more (Discord's attachments, say) says its own, so that a file between the two is taken. Sound as a
     * default: a file past either limit is refused, the user told the figure, or fails its download with a refund.
     *
     * @return the most bytes, above 0; {@link #DOWNLOAD_BYTES_MAX} by default
     */
    default long downloadBytesMax() {
        return DOWNLOAD_BYTES_MAX;
    }

    /**
     * Fetches a file a user sent, by the platform's file id, so the job worker can upload it to the provider. Called
     * on a job worker thread, outside any transaction, before the job's task is created. It may block for the
     * download (bound it with a timeout of your own: the job's lease is {@code JobWorker.LEASE}); several threads may
     * call it at once.
     *
     * @param fileId the platform's id of the file, as the update carried it ({@code Event.Media})
     * @return the file's bytes, name and type, never null
     * @throws FileTooLargeException    when the file exceeds {@link #downloadBytesMax()}
     * @throws FileUnavailableException when the platform refuses the file for good (no later try can have it): the
     *                                  job fails with a refund at once
     * @throws java.io.IOException      when it cannot be downloaded now (the job is read again later and, while it
     *                                  keeps failing, fails with a refund at its deadline, the user told his file
     *                                  could not be had)
     */
    DownloadedFile download(String fileId) throws java.io.IOException;

    /**
     * A downloaded file, handed as is to {@code GenerationProvider.upload}. Neither name nor type may be absent (never
     * {@code null}): the provider's upload needs both, so give a fallback when the platform does not say, as
     * {@code TelegramFileSource} does ({@code "file"}, {@code "application/octet-stream"}).
     *
     * @param content  the file's bytes, at most {@link #downloadBytesMax()}
     * @param fileName a name with its extension where known (providers tell a format by it), e.g. {@code photo.jpg}
     * @param mimeType the media type, e.g. {@code image/jpeg}
     */
    @SuppressWarnings("ArrayRecordComponent") // a download (≤ 20 MB) handed once to the upload, never compared: no copy
    record DownloadedFile(byte[] content, String fileName, String mimeType) {
        /**
         * Checks the values.
         *
         * @param content  never null
         * @param fileName never null: {@code "file"} when the platform names none
         * @param mimeType never null: {@code "application/octet-stream"} when the platform says none
         * @throws NullPointerException naming the component and the fallback to give instead
         */
        public DownloadedFile {
            java.util.Objects.requireNonNull(content, "content: the file's bytes");
            java.util.Objects.requireNonNull(fileName, "fileName: give \"file\" when the platform names none");
            java.util.Objects.requireNonNull(mimeType,
                    "mimeType: give \"application/octet-stream\" when the platform says none");
        }
    }

    /**
     * The file is over what may be downloaded: thrown instead of a plain {@code IOException} because trying again
     * cannot help, so the job fails with a refund at once rather than being read again until its deadline.
     */
    final class FileTooLargeException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        /**
         * The file is over the platform's download limit.
         *
         * @param size the file's size in bytes, as the platform reported it or as far as the download got
         */
        public FileTooLargeException(long size) {
            super("file of " + size + " bytes is over the platform's download limit");
        }
    }

    /**
     * The platform refuses the file for good (Telegram's 400 to {@code getFile}: a file id wrong or no longer valid):
     * thrown instead of a plain {@code IOException} because trying again cannot help. The job fails with a refund at
     * once, the user told his file could not be had and asked to send it again; read again until its deadline, it was
     * refunded ten minutes later as if the model had been too slow.
     */
    final class FileUnavailableException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        /**
         * The platform refused the file.
         *
         * @param reason the platform's words, for the job's log (never shown to the user); no secret in them
         */
        public FileUnavailableException(String reason) {
            super(reason);
        }
    }
}
