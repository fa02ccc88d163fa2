package dev.kiebot.telegram.fake;

import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Issue 14's Telegram fault matrix, the same through the client alone and through a runner: each kind of fault
 * Telegram's side shows (an error, nginx's HTML page, a connection dropped before or after the work, 429) on each
 * kind of reply the user waits for. Feed a parameterized test {@code (ReplyKind, Fault)} with
 * {@code @MethodSource("dev.kiebot.telegram.fake.ReplyFaults#everyReplyUnderEveryFault")}.
 */
public final class ReplyFaults {
    private ReplyFaults() {
    }

    /** One fault of the Bot API, met by the first call of a method. */
    public enum Fault {
        SERVER_ERROR_500, HTML_502, DROP_BEFORE, DROP_AFTER, TOO_MANY_REQUESTS_429;

        /** The fake's failure for this fault; a 429 asks the client to wait {@code retryAfterSeconds} first. */
        public Failure failure(int retryAfterSeconds) {
            return switch (this) {
                case SERVER_ERROR_500 -> Failure.serverError();
                case HTML_502 -> Failure.badGatewayPage();
                case DROP_BEFORE -> Failure.dropBefore();
                case DROP_AFTER -> Failure.dropAfter();
                case TOO_MANY_REQUESTS_429 -> Failure.tooManyRequests(retryAfterSeconds);
            };
        }
    }

    /** A reply the user waits for, by the Bot API method that carries it. */
    public enum ReplyKind {
        /** A plain answer. */
        SEND_MESSAGE("sendMessage"),
        /** A generation's result. */
        SEND_PHOTO("sendPhoto"),
        /** A notice that edits an earlier message (a job's status message). */
        EDIT_MESSAGE_TEXT("editMessageText");

        public final String method;

        ReplyKind(String method) {
            this.method = method;
        }
    }

    /** Every reply kind under every fault: {@code (ReplyKind, Fault)}, reply kind by reply kind. */
    public static Stream<Arguments> everyReplyUnderEveryFault() {
        return Stream.of(ReplyKind.values()).flatMap(k -> Stream.of(Fault.values()).map(f -> Arguments.of(k, f)));
    }
}
