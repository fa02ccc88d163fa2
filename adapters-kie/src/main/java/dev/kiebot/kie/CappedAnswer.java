package dev.kiebot.kie;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A Kie answer read into memory, at most {@code bytesMax} of it. Kie's answers are a few kilobytes (a task id, a
 * status with result links); the JDK's own byte-array handler has no limit, so a broken proxy or a runaway answer
 * could fill the heap of a small box (128 MiB by default) and stop the bot. Past the limit the subscription is
 * cancelled (the connection closed) and the answer fails with {@link TooLarge}.
 */
final class CappedAnswer implements HttpResponse.BodySubscriber<byte[]> {
    /** Far above any answer Kie documents; far below the heap of a small box. */
    static final int BYTES_MAX = 1024 * 1024;

    /** The answer grew past the limit; nothing of it is used. */
    static final class TooLarge extends IOException {
        TooLarge(long bytesMax) {
            super("answer over " + bytesMax + " bytes");
        }
    }

    private final long bytesMax;
    private final long declaredBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private CappedAnswer(long bytesMax, long declaredBytes) {
        this.bytesMax = bytesMax;
        this.declaredBytes = declaredBytes;
    }

    /** A handler whose answers fail as soon as they are known to be over {@code bytesMax}: declared or read. */
    static HttpResponse.BodyHandler<byte[]> handler(long bytesMax) {
        return info -> new CappedAnswer(bytesMax, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredBytes > bytesMax) {
            s.cancel();
            result.completeExceptionally(new TooLarge(bytesMax));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (body.size() + (long) item.remaining() > bytesMax) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(bytesMax));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            body.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        result.complete(body.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
