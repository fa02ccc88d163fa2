package dev.kiebot.core.conversation;

import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.text.Msg;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The conversation of a card / SBP top-up: choosing or typing the amount, "I paid", the receipt photos. A wrong
 * amount is asked again with the reason; what the request is and who confirms it is the effects' business.
 */
final class CardPayment {
    /**
     * How long after a request a photo at the menu is taken for its receipt while it is not reported paid yet: the
     * time a transfer takes in a bank's app and the way back to the bot, with room to spare.
     */
    static final Duration JUST_REQUESTED = Duration.ofHours(1);
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
        turn.ticket(Optional.empty()); // a file from now on is this request's receipt, not the ticket's
        turn.effect(new Effect.RequestManualTopUp(amount));
    }

    /** Anything but an amount while the amount is asked. */
    void reask(Turn turn) {
        ask(turn, go.t(turn, Msg.NEED_AMOUNT));
    }

    /**
     * "I paid" under request {@code arg}: the chat waits for a receipt photo. Pressed in the middle of an order (under
     * the request up the chat, or its line under a model's question), it is a detour like a top-up: the order is kept
     * ({@link Navigation#keepOrder}) for «↩️ Вернуться к генерации», where the receipt waited in its place and the
     * description, the photos and the options chosen were gone with it.
     *
     * <p>The chat waits only for a request of the presser's own still open: a button's data is the client's to forge,
     * and a press naming another user's request (or a closed one) set the presser's order aside and answered his next
     * photo "I do not know the request N" (manual.unknown). Such a press changes nothing of his chat; the desk answers
     * it (an unknown request, or one of his already closed) and checks the owner again.
     */
    boolean paid(Turn turn, Context ctx, String arg) {
        if (!arg.matches("\\d{1,18}")) {
            return false;
        }
        long id = Long.parseLong(arg);
        if (ctx.openManualTopUps().stream().noneMatch(r -> r.id() == id)) {
            turn.effect(new Effect.ClaimManualTopUp(id));
            return true;
        }
        go.keepOrder(turn);
        turn.moveTo(new ChatState.ManualReceipt(id));
        turn.ticket(Optional.empty()); // the receipts after this one, sent at the menu, are the request's too
        turn.effect(new Effect.ClaimManualTopUp(id));
        return true;
    }

    /** A file after "I paid": a photo, or an image or a PDF sent as a file (banks' apps share receipts as PDF). */
    void receipt(Turn turn, ChatState.ManualReceipt waiting, Event.Media media) {
        Optional<MediaKind> kind = receiptKind(media);
        if (kind.isEmpty()) {
            turn.send(screens.receiptHint(turn.language));
            return;
        }
        turn.moveTo(new ChatState.Menu());
        attach(turn, waiting.requestId(), media, kind.get());
    }

    /**
     * A photo or a file where the screen asks for none (the menu, the request's instructions, a list, the amount or
     * the Stars packages; on a model's card, at its question or at the order's confirmation only a PDF, as a photo
     * there is the order's) from a user with a card / SBP request open: maybe its receipt. It was «such messages are
     * not taken here» for a second receipt after the first (the chat was back at the menu, though a request takes
     * three); the user took his receipt for lost. So a request already reported paid takes it without a question. One
     * not yet reported paid is not reported paid by it: any stray photo at the menu (a screenshot of a problem after
     * /paysupport) did that, and every admin heard of an unpaid request; the user gets the request's «Оплачено» and
     * sends the receipt again. The request is found in the store, not in the chat: another instance, or the bot after a
     * restart, finds it the same. With several open, the user is asked which (a guess could report the wrong one paid),
     * and sends the receipt again after choosing.
     *
     * <p>Requests all unpaid and made more than {@link #JUST_REQUESTED} ago are no reason to take a photo for a
     * receipt: a user who pays comes back with the receipt soon after the request, while one whose request waits,
     * forgotten, for its expiry (48 hours by default) got «Заявка … ещё не отмечена оплаченной» for any photo at the
     * menu (one meant for a model, a picture for nothing). Such a photo gets the menu's own answer.
     *
     * @return false when the file is no receipt or the user has no open request a receipt may be for: it is answered
     *         as any file there
     */
    boolean unasked(Turn turn, Context ctx, Event.Media media) {
        Optional<MediaKind> kind = receiptKind(media);
        if (kind.isEmpty()) {
            return false;
        }
        List<ManualTopUp> open = ctx.openManualTopUps();
        Instant recent = ctx.now().minus(JUST_REQUESTED);
        if (open.stream().noneMatch(r -> r.state() == ManualTopUpState.CLAIMED_PAID || r.createdAt().isAfter(recent))) {
            return false;
        }
        if (open.size() == 1 && open.get(0).state() == ManualTopUpState.CLAIMED_PAID) {
            attach(turn, open.get(0).id(), media, kind.get());
            return true;
        }
        turn.send(open.size() == 1 ? screens.notYetPaid(turn.language, open.get(0))
                : screens.whichRequest(turn.language, open));
        media.album().ifPresent(album -> turn.remember(new ReceiptAlbum(album, OptionalLong.empty())));
        return true;
    }

    /**
     * What the answer to a photo or a file adds while every open request is unpaid: a line and the requests'
     * «Оплачено». Such a file is not nagged as a receipt where a screen answers it otherwise, yet a user who pays a
     * day after his request and sends the receipt before «Оплачено» read only that screen's answer («Такие сообщения я
     * здесь не принимаю.», «Нужна сумма», a model's question), the way to his request gone with the request's message
     * up the chat. Added where the file is none of the screen's: at the menu, the amount question and the Stars
     * packages (one {@link #unasked} let go, the requests made more than {@link #JUST_REQUESTED} ago), and on a model's
     * card, at its question (the shape, the length: the answers so far kept) or at the order's confirmation (under
     * its «choose with the buttons», the confirmation and its buttons kept) when the model takes no such file (a
     * PDF past that hour, a photo for a text model): a photo where the model takes photos is the order's and gets
     * none. The rest of an album is let go: its first file's answer speaks for it.
     *
     * @return empty when the file is no receipt or no request is open, or one is reported paid
     */
    Optional<Screen> unpaidHint(Turn turn, Context ctx, Event.Media media) {
        List<ManualTopUp> open = ctx.openManualTopUps();
        if (receiptKind(media).isEmpty() || open.isEmpty()
                || open.stream().anyMatch(r -> r.state() != ManualTopUpState.REQUESTED)) {
            return Optional.empty();
        }
        media.album().ifPresent(album -> turn.remember(new ReceiptAlbum(album, OptionalLong.empty())));
        return Optional.of(screens.paidFirst(turn.language, open));
    }

    /**
     * A PDF: a bank's receipt, never an order's input, so on a model's card, at its question or at the order's
     * confirmation it is asked about as a receipt first.
     */
    static boolean pdf(Event.Media media) {
        return media.type() == MediaType.DOCUMENT && media.mimeType().filter("application/pdf"::equals).isPresent();
    }

    /**
     * The next file of an album whose first was answered as a receipt: taken for the same request without a word (the
     * first file's answer spoke for the album), or let go when the user was asked which request the album is for, or
     * to report the request paid first.
     */
    void albumRest(Turn turn, ReceiptAlbum album, Event.Media media) {
        turn.remember(album);
        Optional<MediaKind> kind = receiptKind(media);
        if (kind.isPresent() && album.requestId().isPresent()) {
            turn.effect(new Effect.AttachReceipt(album.requestId().getAsLong(), media.fileId(), kind.get(), true,
                    media.uniqueId()));
        }
    }

    private static void attach(Turn turn, long requestId, Event.Media media, MediaKind kind) {
        turn.effect(new Effect.AttachReceipt(requestId, media.fileId(), kind, false, media.uniqueId()));
        media.album().ifPresent(album -> turn.remember(new ReceiptAlbum(album, OptionalLong.of(requestId))));
    }

    /**
     * How a receipt goes on to the admins: a photo, or an image or a PDF sent as a file (Telegram sends a file id on
     * only as what it is: a document's id given to sendPhoto is refused); empty for a file no receipt is.
     */
    private static Optional<MediaKind> receiptKind(Event.Media media) {
        if (media.type() == MediaType.PHOTO) {
            return Optional.of(MediaKind.PHOTO);
        }
        boolean file = media.type() == MediaType.DOCUMENT && media.mimeType()
                .filter(m -> m.startsWith("image/") || m.equals("application/pdf")).isPresent();
        return file ? Optional.of(MediaKind.DOCUMENT) : Optional.empty();
    }

    /** Text after "I paid": the receipt is asked for as a photo; the menu is one tap away. */
    void receiptText(Turn turn) {
        turn.send(screens.receiptHint(turn.language));
    }
}
