package dev.kiebot.telegram;

import com.pengrad.telegrambot.response.BaseResponse;

/**
 * Telegram's refusal of the bot token: 401 for one it does not know (revoked in @BotFather), 404 for one not of a
 * token's shape (the Bot API answers "Not Found" for the whole path; getMe and getUpdates read them the same way).
 * The one rule for every door, the adapter's calls ({@link ApiCaller}) and the runtime's own long polling alike: a
 * reply waits for the token, a download is tried again, a refund says so, polling tells the operator.
 */
public final class TokenRefusal {
    private TokenRefusal() {
    }

    /**
     * @param answer what the Bot API answered a call, {@code null} when it answered nothing readable
     * @return whether it refused the bot token
     */
    public static boolean in(BaseResponse answer) {
        return answer != null && !answer.isOk() && (answer.errorCode() == 401 || answer.errorCode() == 404);
    }
}
