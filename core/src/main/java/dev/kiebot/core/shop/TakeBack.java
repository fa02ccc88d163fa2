package dev.kiebot.core.shop;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Taking back what a wallet still holds of a credit that went away (a Stars payment Telegram refunded, an invitation
 * bonus whose friend was refunded), once, under ledger ids made from {@code baseId}. Each try reads what the wallet
 * holds, then takes it: another debit of the wallet in between (a generation's hold, an admin's {@code /debit_user})
 * makes the ledger refuse the transfer, and a refused id stays refused for good, so the next try takes a fresh id —
 * {@code baseId}, then {@code baseId~2}, {@code baseId~3}. With one id, that one refusal left the money with the user.
 *
 * @param baseId the first try's ledger id
 */
record TakeBack(String baseId) {
    /** Tries at most: each needs another debit to come between its read and its transfer to fail. */
    static final int TRIES = 3;

    /** The ledger id of the {@code n}th try ({@code 1..}{@link #TRIES}). */
    String id(int n) {
        return Ledger.tryId(baseId, n);
    }

    /** The first try's ledger id of a try's ({@code id}, as {@link #id} makes it): under it, what took it is audited. */
    static String baseOf(String id) {
        return Ledger.firstTryId(id);
    }

    /** Every try's ledger id, in order. */
    List<String> ids() {
        return IntStream.rangeClosed(1, TRIES).mapToObj(this::id).toList();
    }

    /** The transfer that took it back, whichever try it was; empty when none did. */
    Optional<Transfer> done(Ledger ledger) {
        return ids().stream().map(ledger::find).flatMap(Optional::stream).findFirst();
    }

    /** A try that reached the ledger: what it asked to take and the ledger's answer. */
    record Try(long amount, LedgerResult result) {
    }

    /**
     * Takes up to {@code max} of what {@code wallet} holds to {@code to}, trying again under the next id while the
     * ledger refuses for a debit that came between (or refused that id before).
     *
     * @return the last try, or empty when the wallet held nothing (spent) or every try was overtaken
     */
    Optional<Try> take(Ledger ledger, AccountId wallet, AccountId to, long max, TransferKind kind) {
        for (int n = 1; n <= TRIES; n++) {
            long amount = Math.min(max, ledger.balance(wallet).available());
            if (amount <= 0) {
                return Optional.empty();
            }
            LedgerResult r = ledger.transfer(id(n), wallet, to, amount, kind);
            if (!(r instanceof LedgerResult.Rejected rejected) || !overtaken(rejected.reason())) {
                return Optional.of(new Try(amount, r));
            }
        }
        return Optional.empty();
    }

    private static boolean overtaken(LedgerResult.Reason reason) {
        return reason == LedgerResult.Reason.INSUFFICIENT_FUNDS || reason == LedgerResult.Reason.ID_ALREADY_FAILED;
    }
}
