package dev.kiebot.core.conversation;

import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.text.Msg;
import java.util.OptionalLong;

/**
 * The conversation of a card / SBP top-up: choosing or typing the amount, "I paid", the receipt photo. A wrong
 * amount is asked again with the reason; what the request is and who confirms it is the effects' business.
 */
final class CardPayment {
    private final ManualPayments manual;
    private final Navigation go;
    private final PaymentScreens screens;

    CardPayment(ManualPayments manual, Navigation go, PaymentScreens screens) {
        this.manual = manual;
        this.go = go;
        this.screens = screens;
    }

    /** The "card / SBP" button. @return false when manual top-ups are not offered (a stale button) */
    boolean open(Turn turn, Context ctx) {
        if (!manual.enabled()) {
            return false;
        }
        if (!ctx.user().termsAccepted()) {
            go.topUp(turn, ctx, false);
            return true;
        }
        ask(turn, "");
        return true;
    }

    private void ask(Turn turn, String prefix) {
        long v = turn.moveTo(new ChatState.ManualAmount());
        turn.show(screens.manualAmount(turn.language, v, prefix));
    }

    /** One of the offered amounts. @return false when it is not one of them */
    boolean amountPressed(Turn turn, String arg) {
        if (!arg.matches("\\d{1,12}") || !manual.presets().contains(Long.parseLong(arg))) {
            return false;
        }
        request(turn, Long.parseLong(arg));
        return true;
    }

    /**
     * A typed amount in whole currency units.
     *
     * @return false when it is no amount a request is made for: the amount is asked again with the reason
     */
    boolean amountTyped(Turn turn, String text) {
        OptionalLong amount = go.typedAmount(text);
        if (amount.isEmpty()) {
            ask(turn, go.t(turn, Msg.INPUT_NOT_A_NUMBER));
            return false;
        }
        if (!manual.accepts(amount.getAsLong())) {
            ask(turn, go.t(turn, Msg.INPUT_OUT_OF_RANGE, go.money(turn, manual.minAmount()), go.money(turn, manual.maxAmount())));
            return false;
        }
        request(turn, amount.getAsLong());
        return true;
    }

    private void request(Turn turn, long amount) {
        turn.moveTo(new ChatState.Menu());
        turn.effect(new Effect.RequestManualTopUp(amount));
    }

    /** Anything but an amount while the amount is asked. */
    void reask(Turn turn) {
        ask(turn, go.t(turn, Msg.NEED_AMOUNT));
    }

    /** "I paid" under request {@code arg}: the chat waits for a receipt photo. */
    boolean paid(Turn turn, String arg) {
        if (!arg.matches("\\d{1,18}")) {
            return false;
        }
        long id = Long.parseLong(arg);
        turn.moveTo(new ChatState.ManualReceipt(id));
        turn.effect(new Effect.ClaimManualTopUp(id));
        return true;
    }

    /** A file after "I paid": a photo, or an image or a PDF sent as a file (banks' apps share receipts as PDF). */
    void receipt(Turn turn, ChatState.ManualReceipt waiting, Event.Media media) {
        boolean file = media.type() == MediaType.DOCUMENT && media.mimeType()
                .filter(m -> m.startsWith("image/") || m.equals("application/pdf")).isPresent();
        if (media.type() != MediaType.PHOTO && !file) {
            turn.send(screens.receiptHint(turn.language));
            return;
        }
        turn.moveTo(new ChatState.Menu());
        // Telegram sends a file id on only as what it is: a document's id given to sendPhoto is refused
        turn.effect(new Effect.AttachReceipt(waiting.requestId(), media.fileId(),
                file ? MediaKind.DOCUMENT : MediaKind.PHOTO));
    }

    /** Text after "I paid": the receipt is asked for as a photo; the menu is one tap away. */
    void receiptText(Turn turn) {
        turn.send(screens.receiptHint(turn.language));
    }
}
