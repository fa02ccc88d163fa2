package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.model.BotCommand;
import com.pengrad.telegrambot.model.botcommandscope.BotCommandsScopeChat;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.request.DeleteMyCommands;
import com.pengrad.telegrambot.request.SetMyCommands;
import com.pengrad.telegrambot.response.BaseResponse;
import dev.kiebot.core.conversation.PublicCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The bot's command menu in Telegram ({@code setMyCommands}), one list per language. Setting a list again
 * replaces it, so calling this at every start is harmless; it never throws, and a failure is only reported.
 */
public final class BotCommands {
    private final ApiCaller api;

    public BotCommands(TelegramBot bot) {
        this.api = new ApiCaller(bot, new ApiCaller.Policy(Duration.ofSeconds(10), 1, Duration.ofSeconds(5),
                Duration.ofMillis(300)), OutboundLimiter.Ticker.SYSTEM);
    }

    /**
     * @param languageCode the users' language the list is for; empty: everybody whose language has no list
     * @param commands     the list; a description longer than Telegram takes (a shop's own text) is cut, with «…»
     * @return why Telegram did not take the list, if it did not (token-free)
     */
    public Optional<String> set(Optional<String> languageCode, List<PublicCommands.Command> commands) {
        return send(request(languageCode, commands));
    }

    /**
     * The list of one private chat ({@code BotCommandScopeChat}), which Telegram shows there in place of everybody's:
     * an admin's menu with the admin commands.
     *
     * @param chatId       the chat (a user's private chat: his user id)
     * @param languageCode as {@link #set}: the list for that chat's users of this language; empty: of any other
     * @param commands     the whole list of that chat
     * @return whether Telegram took the list, and if not, why: a chat whose user blocked the bot and one that never
     *         wrote to it ("chat not found") are told apart, as what to do differs and asking again changes nothing
     */
    public ChatList setForChat(long chatId, Optional<String> languageCode, List<PublicCommands.Command> commands) {
        ApiCaller.Outcome<BaseResponse> o = api.call(request(languageCode, commands)
                .scope(new BotCommandsScopeChat(chatId)), true, null);
        if (o.ok()) {
            return new ChatList.Taken();
        }
        String reason = Redaction.redact(o.reason("setMyCommands"), api.token());
        if (blocked(o)) {
            return new ChatList.Blocked(reason);
        }
        return chatNotFound(o) ? new ChatList.NoChat(reason) : new ChatList.Failed(reason);
    }

    /** What {@code setMyCommands} of one private chat's list answered ({@link #setForChat}); reasons are token-free. */
    public sealed interface ChatList {
        /** The chat shows this list. */
        record Taken() implements ChatList {
        }

        /** 403: the chat's user blocked the bot (or deleted his account); the same answer until he unblocks it. */
        record Blocked(String reason) implements ChatList {
        }

        /** 400 "chat not found": he never wrote to the bot; the same answer until he does. */
        record NoChat(String reason) implements ChatList {
        }

        /** Not taken, for any other reason (Telegram away, a refusal of another kind). */
        record Failed(String reason) implements ChatList {
        }
    }

    /** A private chat's 403 is its user's doing whatever its words, as for a send (TelegramMessenger: Blocked). */
    private static boolean blocked(ApiCaller.Outcome<?> o) {
        return o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 403;
    }

    private static boolean chatNotFound(ApiCaller.Outcome<?> o) {
        return o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 400
                && o.description().toLowerCase(java.util.Locale.ROOT).contains("chat not found");
    }

    /** What {@code deleteMyCommands} of one chat's list answered ({@link #deleteForChat}). */
    public sealed interface Removal {
        /** The chat sees everybody's list again. */
        record Removed() implements Removal {
        }

        /**
         * Telegram will not touch the chat: it knows no such chat (400 "chat not found": he never wrote to the bot), or
         * its user will not have the bot (403 "bot was blocked by the user", a deleted account). Asking again gets the
         * same answer until he writes to the bot again. {@code reason} is token-free.
         */
        record Unreachable(String reason) implements Removal {
        }

        /** Not removed, for any other reason (Telegram away, a refusal of another kind); {@code reason} is token-free. */
        record Failed(String reason) implements Removal {
        }
    }

    /**
     * Removes one private chat's own list ({@code deleteMyCommands} with {@code BotCommandScopeChat}): the chat sees
     * everybody's again. For a former admin, whose chat kept the admin commands.
     *
     * @param chatId       the chat
     * @param languageCode as {@link #setForChat}
     * @return whether Telegram removed it, will not reach the chat, or did not remove it and why
     */
    public Removal deleteForChat(long chatId, Optional<String> languageCode) {
        DeleteMyCommands request = new DeleteMyCommands().scope(new BotCommandsScopeChat(chatId));
        languageCode.ifPresent(request::languageCode);
        ApiCaller.Outcome<BaseResponse> o = api.call(request, true, null);
        if (o.ok()) {
            return new Removal.Removed();
        }
        String reason = Redaction.redact(o.reason("deleteMyCommands"), api.token());
        return blocked(o) || chatNotFound(o) ? new Removal.Unreachable(reason) : new Removal.Failed(reason);
    }

    private static SetMyCommands request(Optional<String> languageCode, List<PublicCommands.Command> commands) {
        SetMyCommands request = new SetMyCommands(commands.stream()
                .map(c -> new BotCommand(c.name(),
                        TextLimits.truncate(c.description(), TextLimits.COMMAND_DESCRIPTION)))
                .toArray(BotCommand[]::new));
        languageCode.ifPresent(request::languageCode);
        return request;
    }

    private Optional<String> send(SetMyCommands request) {
        return send(request, "setMyCommands");
    }

    private <T extends BaseRequest<T, BaseResponse>> Optional<String> send(BaseRequest<T, BaseResponse> request,
                                                                         String method) {
        ApiCaller.Outcome<BaseResponse> o = api.call(request, true, null);
        return o.ok() ? Optional.empty() : Optional.of(Redaction.redact(o.reason(method), api.token()));
    }
}
