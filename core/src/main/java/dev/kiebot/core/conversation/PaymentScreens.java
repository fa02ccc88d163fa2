package dev.kiebot.core.conversation;

import dev.kiebot.core.ledger.StatementLine;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Snippet;
import dev.kiebot.core.text.Texts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the screens about money beside the Stars packages: the statement, the amounts of a card / SBP
 * top-up and the payment-support prompt. Like {@link Screens} it decides nothing.
 */
final class PaymentScreens {
    /** Shown per line: a Stars charge id is longer than a line should be. */
    static final int REFERENCE_SHOWN_MAX = 24;

    private final Screens screens;
    private final ManualPayments manual;
    private final ZoneId zone;

    PaymentScreens(Screens screens, ManualPayments manual, ZoneId zone) {
        this.screens = screens;
        this.manual = manual;
        this.zone = zone;
    }

    /** The offered amounts as buttons of the newest screen, and how to type another. */
    Screen manualAmount(String lang, long version, String prefix) {
        List<Button> amounts = new ArrayList<>();
        for (long amount : manual.presets()) {
            amounts.add(Button.callback(screens.money(lang, amount),
                    CallbackData.current(version, CallbackAction.MANUAL_AMOUNT, Long.toString(amount))));
        }
        Keyboard kb = Keyboard.grid(amounts, 3).plus(List.of(Button.callback(screens.t(lang, Msg.BUTTON_CANCEL),
                CallbackData.current(version, CallbackAction.CANCEL))));
        String text = screens.t(lang, Msg.MANUAL_AMOUNT, screens.money(lang, manual.minAmount()),
                screens.money(lang, manual.maxAmount()));
        return new Screen(prefix.isEmpty() ? text : prefix + "\n\n" + text, kb);
    }

    /** @param now the shop's clock's instant: a line of this year is dated without the year */
    Screen statement(String lang, List<StatementLine> lines, Instant now) {
        Keyboard kb = Keyboard.of(List.of(screens.button(lang, Msg.MENU_TOPUP, CallbackAction.TOP_UP, ""),
                screens.home(lang)));
        if (lines.isEmpty()) {
            return new Screen(screens.t(lang, Msg.STATEMENT_EMPTY), kb);
        }
        StringBuilder text = new StringBuilder(screens.t(lang, Msg.STATEMENT_TITLE, lines.size(),
                screens.texts().shownZone(lang, zone, now)));
        for (StatementLine l : lines) {
            String what = screens.t(lang, Msg.statement(l.kind()));
            if (l.reserved()) {
                what = screens.t(lang, Msg.STATEMENT_RESERVED, what);
            }
            // the formatter writes a debit's «−»; a credit is signed here
            String amount = (l.amount() >= 0 ? "+" : "") + screens.money(lang, l.amount());
            String reference = l.reference().isEmpty() ? ""
                    : " · " + Snippet.of(reference(lang, l), REFERENCE_SHOWN_MAX);
            text.append("\n").append(screens.t(lang, Msg.STATEMENT_LINE, ShownTime.forUser(lang, l.at(), zone, now), amount,
                    what, reference));
        }
        return new Screen(text.toString(), kb);
    }

    /**
     * A line's reference as the user's other screens write it: a card request's «#1» (the ledger's form) is «№ 1» in
     * Russian, as its own messages, /find and the admins' lines number it.
     */
    private static String reference(String lang, StatementLine l) {
        String ref = l.reference();
        return l.kind() == TransferKind.TOP_UP_MANUAL && ref.matches("#\\d{1,18}")
                ? Texts.numbered(lang, Long.parseLong(ref.substring(1))) : ref;
    }

    /** /paysupport: where to write the problem, the contact, and the way out. */
    Screen ticket(String lang, long version, String prefix) {
        // this is the way to the admins; a contact, when there is one, is another
        String text = screens.t(lang, Msg.PAYSUPPORT) + screens.alsoWrite(lang) + screens.supportText() + "\n\n"
                + screens.t(lang, Msg.TICKET_PROMPT, SupportTicket.TEXT_MAX);
        return new Screen(prefix.isEmpty() ? text : prefix + "\n\n" + text, Keyboard.of(List.of(Button.callback(
                screens.t(lang, Msg.BUTTON_CANCEL), CallbackData.current(version, CallbackAction.CANCEL)))));
    }

    /** After "I paid": a photo of the receipt is welcome, nothing else is needed. */
    Screen receiptHint(String lang) {
        return new Screen(screens.t(lang, Msg.MANUAL_RECEIPT_HINT), screens.homeOnly(lang));
    }

    /**
     * A receipt sent while several requests are open: which one it is for. Each request's button is its «Оплачено»
     * (evergreen, as under the request): pressed, the request is reported paid and the chat waits for its receipt.
     */
    Screen whichRequest(String lang, List<ManualTopUp> open) {
        StringBuilder lines = new StringBuilder();
        List<Button> buttons = new ArrayList<>();
        for (ManualTopUp r : open) {
            String number = Texts.numbered(lang, r.id());
            String amount = screens.money(lang, r.amount());
            lines.append(screens.t(lang, Msg.MANUAL_OPEN_LINE, number, amount,
                    screens.t(lang, Msg.manualState(r.state()))));
            buttons.add(paidButton(lang, r));
        }
        buttons.add(screens.home(lang));
        return new Screen(screens.t(lang, Msg.MANUAL_RECEIPT_WHICH, lines.toString()), Keyboard.grid(buttons, 1));
    }

    /**
     * A receipt sent while the one open request is not reported paid: its «Оплачено» (a photo alone does not report
     * it paid: it may be anything), and the receipt is sent again after it.
     */
    Screen notYetPaid(String lang, ManualTopUp r) {
        return new Screen(screens.t(lang, Msg.MANUAL_RECEIPT_UNPAID, Texts.numbered(lang, r.id()),
                screens.money(lang, r.amount())), Keyboard.grid(List.of(paidButton(lang, r), screens.home(lang)), 1));
    }

    /**
     * The line under the answer to a photo or a file sent while requests are unpaid ({@link CardPayment#unpaidHint}),
     * and their «Оплачено» buttons: one row each, to go over the answer's.
     */
    Screen paidFirst(String lang, List<ManualTopUp> open) {
        List<Button> buttons = open.stream().map(r -> paidButton(lang, r)).toList();
        String line = open.size() == 1
                ? screens.t(lang, Msg.MANUAL_RECEIPT_LATE, Texts.numbered(lang, open.get(0).id()))
                : screens.t(lang, Msg.MANUAL_RECEIPT_LATE_WHICH);
        return new Screen(line, Keyboard.grid(buttons, 1));
    }

    /** A request's «Оплачено», evergreen as under the request: pressed, the chat waits for its receipt. */
    private Button paidButton(String lang, ManualTopUp r) {
        return Button.callback(screens.t(lang, Msg.BUTTON_MANUAL_PAID_FOR, Texts.numbered(lang, r.id())),
                CallbackData.evergreen(CallbackAction.MANUAL_PAID, Long.toString(r.id())));
    }
}
