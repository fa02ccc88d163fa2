package dev.kiebot.core.ledger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A wallet's statement: its transfers as movements of money. A posted transfer is a movement; a hold is one
 * only while it is pending (shown as reserved), then its post is (voided and expired holds moved nothing for
 * good, so they are left out). The lines of posted movements add up to the change of the posted balance.
 */
public final class Statement {
    /** Transfers read for a statement of {@code n} lines: a generation is a hold and its post. */
    public static final int TRANSFERS_PER_LINE = 3;

    private Statement() {
    }

    /**
     * The wallet's statement lines.
     *
     * @param wallet      the wallet
     * @param newestFirst the wallet's newest transfers (e.g. {@link Ledger#recent}); a hold's resolution is newer
     *                    than the hold, so it is there whenever the hold is
     * @param limit       the most lines
     * @return up to {@code limit} lines, newest first
     */
    public static List<StatementLine> of(AccountId wallet, List<Transfer> newestFirst, int limit) {
        Set<String> resolved = new HashSet<>();
        for (Transfer t : newestFirst) {
            t.pendingId().ifPresent(resolved::add);
        }
        List<StatementLine> lines = new ArrayList<>();
        for (Transfer t : newestFirst) {
            if (lines.size() >= limit) {
                break;
            }
            long sign = t.credit().equals(wallet) ? 1 : t.debit().equals(wallet) ? -1 : 0;
            boolean line = switch (t.phase()) {
                case POSTED, POST_PENDING -> t.amount() > 0;
                case PENDING -> !resolved.contains(t.id());
                case VOID_PENDING, EXPIRE_PENDING -> false;
            };
            if (line && sign != 0) {
                lines.add(new StatementLine(t.createdAt(), sign * t.amount(), t.kind(), reference(t),
                        t.phase() == Phase.PENDING));
            }
        }
        return lines;
    }

    /**
     * What a transfer belongs to, from its id's convention, a later try's {@code ~<n>} ({@link Ledger#tryId}) left
     * out: a generation's hold id is its job id (a job charged again after its hold expired is held again under
     * {@code <job>~2}); top-ups are {@code stars:<charge>}, {@code manual-topup:<request>}; refunds
     * {@code refund:<job>}, {@code stars-refund:<charge>[#attempt]}; a partner's payment {@code external:<provider>:<payment>} and
     * its refunds {@code external-refund:<provider>:<payment>[ <refund>]} (its payment id, which the user also has from
     * that provider); {@code welcome:} and an admin's {@code manual:} name nobody.
     */
    static String reference(Transfer t) {
        String id = Ledger.firstTryId(t.pendingId().orElse(t.id()));
        int colon = id.indexOf(':');
        if (colon < 0) {
            return id;
        }
        String prefix = id.substring(0, colon);
        String rest = id.substring(colon + 1);
        return switch (prefix) {
            case "stars", "refund" -> rest;
            case "stars-refund" -> rest.replaceFirst("#\\d+$", ""); // an admin's attempt
            case "manual-topup" -> "#" + rest;
            case "external" -> rest.substring(rest.indexOf(':') + 1);
            // a refund of part of a payment: its payment id, a space, the provider's refund id (no payment id has one)
            case "external-refund" -> rest.substring(rest.indexOf(':') + 1).split(" ", 2)[0];
            default -> "";
        };
    }
}
