package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code /forget <id>}: an admin erases one user's personal data on his request (the privacy text promises it; 152-ФЗ
 * and GDPR oblige it), every money record kept ({@link dev.kiebot.core.users.PersonalData}). The command erases
 * nothing: it shows whom and what goes and what stays, under «Стереть данные»; the press erases, in the admin's
 * handling transaction, audited with the admin. Erasing twice is harmless, so the button carries only the user's id, as
 * a Stars refund's does, and when it was shown: it expires as a money confirmation does. A generation still under way keeps its inputs, and the admin is told to forget again after.
 */
final class AdminForget {
    private final Stores stores;
    private final Texts texts;
    private final Clock clock;
    private final ManualTopUpDesk manual;

    AdminForget(Stores stores, Texts texts, Clock clock, ManualTopUpDesk manual) {
        this.stores = stores;
        this.texts = texts;
        this.clock = clock;
        this.manual = manual;
    }

    /** {@code /forget}: the confirmation to press, or the usage, or that there is no such user. */
    List<Reply> ask(User admin, long chatId, String args) {
        String lang = admin.language();
        String id = args.strip();
        Optional<User> found = id.contains(" ") ? Optional.empty() : TypedUserId.read(id).flatMap(stores.users()::find);
        if (found.isEmpty()) {
            return List.of(text(chatId, !TypedUserId.hasItsForm(id)
                    ? texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_FORGET))
                    : texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_UNKNOWN_USER, id))));
        }
        User user = found.get();
        String who = texts.get(lang, Msg.ADMIN_MONEY_WHO, Texts.id(user.id()), user.firstName(), AdminSearch.handle(user));
        return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_FORGET_CONFIRM, who),
                Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_FORGET),
                        CallbackData.evergreen(CallbackAction.FORGET_USER,
                                user.id() + ":" + clock.instant().toEpochMilli())),
                        Button.callback(texts.get(lang, Msg.BUTTON_CANCEL),
                                CallbackData.evergreen(CallbackAction.FORGET_USER, user.id() + ":x"))))));
    }

    /** «Стереть данные» pressed: the data erased, the admin told, the line audited. */
    List<Reply> forget(User admin, long chatId, Effect.ForgetUser e) {
        String lang = admin.language();
        long userId = e.userId();
        Optional<Long> messageId = e.messageId();
        if (e.cancel()) {
            return show(chatId, messageId, texts.get(lang, Msg.ADMIN_FORGET_CANCELLED,
                    AdminSearch.named(texts, stores, lang, userId)));
        }
        // it cannot be undone: a button found later (or of a build before, with no time on it) erases nothing
        if (e.asked().filter(at -> at.plus(MoneyConfirmation.VALID).isAfter(clock.instant())).isEmpty()) {
            return show(chatId, messageId, texts.get(lang, Msg.ADMIN_FORGET_EXPIRED,
                    MoneyConfirmation.VALID.toMinutes(), Texts.id(userId)));
        }
        if (stores.users().find(userId).isEmpty()) {
            return show(chatId, messageId, texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_UNKNOWN_USER, Texts.id(userId))));
        }
        int underWay = stores.personalData().forget(userId);
        manual.forgotten(userId);
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), "user.forgotten",
                userId + (underWay > 0 ? ", " + underWay + " under way kept" : ""),
                Optional.of("forget:" + userId)));
        String done = texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_FORGOTTEN, Texts.id(userId)));
        return show(chatId, messageId, underWay == 0 ? done
                : done + "\n" + texts.get(lang, Msg.ADMIN_FORGOTTEN_UNDER_WAY, underWay, Texts.id(userId)));
    }

    private static Reply text(long chatId, String text) {
        return new Reply.SendText(chatId, text, Keyboard.NONE);
    }

    /** The confirmation's message says what came of it, its button gone; a new message when it is not known. */
    private static List<Reply> show(long chatId, Optional<Long> messageId, String text) {
        return List.of(messageId.<Reply>map(id -> new Reply.EditText(chatId, id, text, Keyboard.NONE))
                .orElseGet(() -> text(chatId, text)));
    }
}
