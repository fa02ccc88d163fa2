package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.model.File;
import com.pengrad.telegrambot.request.GetFile;
import com.pengrad.telegrambot.response.GetFileResponse;
import dev.kiebot.core.reply.FileSource;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Downloads a user's file: {@code getFile}, then {@code <apiUrl>/file/bot<token>/<file_path>}. A file id Telegram
 * refuses ({@code 400} to {@code getFile}), or whose file URL answers {@code 404} after {@code getFile} gave its path,
 * is a {@link FileSource.FileUnavailableException}, failed at once; every
 * other failure but a file too large is a plain {@link IOException}, which the job worker tries again until the job's deadline (then the
 * job fails and its hold is voided, the user told): the bot token refused too (revoked in @BotFather while the bot
 * runs), which a restart with the new token ends, said so in the exception's message.
 * Files over {@link FileSource#DOWNLOAD_BYTES_MAX} are refused before downloading when Telegram states the
 * size, and the stream is cut off as soon as it grows past the limit otherwise. The file URL embeds
 * the token: it is never logged, returned or put into an exception message.
 */
public final class TelegramFileSource implements FileSource {
    private final TelegramBot bot;
    private final ApiCaller api;
    private final DownloadClient http;
    private final Duration timeout;
    private final long bytesMax;

    /**
     * Uses the bot's file API URL (set by {@link TelegramBots}) and the bot's own download client, which connects only
     * to the addresses its redirect checks saw ({@link RedirectGuard}).
     */
    public TelegramFileSource(TelegramBot bot) {
        this(bot, new PinnedDownloadClient(), Duration.ofSeconds(60), DOWNLOAD_BYTES_MAX, OutboundLimiter.Ticker.SYSTEM);
    }

    /**
     * {@code http} should follow no redirect itself (its default): {@link RedirectGuard} follows them. It looks each
     * host up again when it connects, so the checks stand on an answer its connection may not get (DNS rebinding): the
     * constructor without a client has none of that.
     */
    public TelegramFileSource(TelegramBot bot, HttpClient http, Duration timeout) {
        this(bot, http, timeout, DOWNLOAD_BYTES_MAX);
    }

    TelegramFileSource(TelegramBot bot, HttpClient http, Duration timeout, long bytesMax) {
        this(bot, http, timeout, bytesMax, OutboundLimiter.Ticker.SYSTEM);
    }

    /** {@code ticker} paces the retries of {@code getFile} (transient failures for up to 10 s). */
    TelegramFileSource(TelegramBot bot, HttpClient http, Duration timeout, long bytesMax, OutboundLimiter.Ticker ticker) {
        this(bot, new DownloadClient.Jdk(http), timeout, bytesMax, ticker);
    }

    private TelegramFileSource(TelegramBot bot, DownloadClient http, Duration timeout, long bytesMax,
                               OutboundLimiter.Ticker ticker) {
        this.bot = Objects.requireNonNull(bot);
        this.api = new ApiCaller(bot, new ApiCaller.Policy(Duration.ofSeconds(10), 2, Duration.ofSeconds(10),
                Duration.ofMillis(300)), ticker);
        this.http = Objects.requireNonNull(http);
        this.timeout = Objects.requireNonNull(timeout);
        this.bytesMax = bytesMax;
    }

    @Override
    public DownloadedFile download(String fileId) throws IOException {
        if (fileId == null || fileId.isBlank()) {
            throw new IOException("no file id");
        }
        ApiCaller.Outcome<GetFileResponse> o = api.call(new GetFile(fileId), true, null);
        if (!o.ok()) {
            if (o.description().toLowerCase(Locale.ROOT).contains("file is too big")) {
                throw new FileTooLargeException(bytesMax + 1);
            }
            if (o.tokenRefused()) {
                // a plain IOException, never a final refusal: the job reads it again later, as in an outage, and is
                // refunded only at its deadline; the job's line says why, not a bare "401 Unauthorized"
                throw new IOException("Telegram refused the bot token (" + o.errorCode() + ") on getFile: tried "
                        + "again with the job until its deadline; a token revoked in @BotFather: restart the bot with "
                        + "the new one");
            }
            if (o.errorCode() == 400 && !o.description().toLowerCase(Locale.ROOT).contains("temporarily")) {
                // Telegram's «Bad Request: invalid file_id»: the id refused as such, which no later try gets past;
                // tried again for ten minutes, the job was refunded as if the model had been too slow. Its «wrong
                // file_id or the file is temporarily unavailable» says it may pass (a data centre's blip): tried again
                // with the job until its deadline, whose line then says the file could not be fetched
                throw new FileUnavailableException(Redaction.redact(o.reason("getFile"), api.token()));
            }
            throw new IOException(Redaction.redact(o.reason("getFile"), api.token()));
        }
        File f = o.response().file();
        if (f == null || f.filePath() == null || f.filePath().isBlank()) {
            throw new IOException("getFile returned no file path");
        }
        if (f.fileSize() != null && f.fileSize() > bytesMax) {
            throw new FileTooLargeException(f.fileSize());
        }
        String url = bot.getFullFilePath(f);
        Downloads.Body body;
        try {
            body = Downloads.get(http, url, bytesMax, timeout, api.token());
        } catch (Downloads.TooLarge e) {
            throw new FileTooLargeException(e.sizeBytes > 0 ? e.sizeBytes : bytesMax + 1);
        } catch (Downloads.Gone e) {
            // the file's own URL answered 404 (or 410) right after getFile gave its path: Telegram no longer has the
            // file, which no later try finds either. Failed at once as getFile's refusal is, the user asked to send it
            // again; as a plain IOException it was tried for the job's ten minutes and told as a download too slow
            throw new FileUnavailableException("the file's URL answered " + e.getMessage().replace("download failed: ",
                    "") + " after getFile gave its path");
        } catch (IOException e) {
            throw new IOException(Redaction.redact(Objects.toString(e.getMessage(), "download failed"), api.token())
                    .replace(url, "<file url>"));
        }
        String name = Downloads.fileName(f.filePath());
        if (name.isEmpty()) {
            name = "file";
        }
        String mime = Downloads.mimeFromName(name)
                .or(() -> body.contentType().filter(t -> !t.equals("application/octet-stream")))
                .orElse("application/octet-stream");
        return new DownloadedFile(body.bytes(), name, mime);
    }

    /** The largest download allowed, in bytes: what the conversation tells a user whose file is larger. */
    @Override
    public long downloadBytesMax() {
        return bytesMax;
    }

    static Optional<String> guessMime(String name) {
        return Downloads.mimeFromName(name);
    }
}
