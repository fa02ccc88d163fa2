package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The per-user inbound limit and the repeated-press rule, checked once for every action a user takes.
 * Payments, refunds and membership changes are Telegram's, never refused. A refused action changes
 * nothing; the user hears about it once per window.
 */
final class InboundLimit {
    private final Stores stores;
    private final ShopSettings settings;
    private final Texts texts;
    private final Clock clock;

    InboundLimit(Stores stores, ShopSettings settings, Texts texts, Clock clock) {
        this.stores = stores;
        this.settings = settings;
        this.texts = texts;
        this.clock = clock;
    }

    /** @return the only replies to send, when the action is refused */
    Optional<List<Reply>> refuse(User user, long chatId, Event event) {
        if (event instanceof Event.PreCheckout || event instanceof Event.SuccessfulPayment
                || event instanceof Event.RefundedPayment || event instanceof Event.MembershipChanged) {
            return Optional.empty();
        }
        Optional<Event.Callback> press = event instanceof Event.Callback cb ? Optional.of(cb) : Optional.empty();
        Admission a = stores.admissions().admit(user.id(), press.map(Event.Callback::data)
                        .filter(d -> d.length() <= Button.MAX_DATA_BYTES), clock.instant(),
                settings.admissionFor(user.id()));
        if (a instanceof Admission.Admitted) {
            return Optional.empty();
        }
        Optional<String> say = a instanceof Admission.TooFast f && f.tell()
                ? Optional.of(texts.get(user.language(), Msg.RATE_LIMITED, Math.max(1, f.retryAfter().toSeconds())))
                : Optional.empty();
        if (press.isPresent()) {
            return Optional.of(List.of(new Reply.AnswerCallback(chatId, press.get().queryId(), say, false)));
        }
        return Optional.of(say.<List<Reply>>map(t -> List.of(new Reply.SendText(chatId, t, Keyboard.NONE)))
                .orElse(List.of()));
    }
}
