package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;

import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.testing.ShopHarness;

/** A user's card / SBP top-up request, made as the user makes it, for the cases that start from one. */
final class CardRequests {
    private CardRequests() {
    }

    /**
     * {@code /topup}, the terms accepted, «Card / SBP», 500 ₽ and «I paid»: the request is with the admins.
     *
     * @return the request (its id; read again for its state)
     */
    static ManualTopUp claimed500(ShopHarness h, long user) {
        ManualTopUp request = requested500(h, user);
        h.press(user, "*|!|" + request.id());
        return request;
    }

    /** {@code /topup}, the terms accepted, «Card / SBP» and 500 ₽: the request waits for the payment. */
    static ManualTopUp requested500(ShopHarness h, long user) {
        h.command(user, "topup");
        h.press(user, "*|y");
        h.press(user, button(h.press(user, "*|$"), "500\u00A0₽"));
        return h.stores.manualTopUps().recent(user, 1).get(0);
    }

    /** The data of an admin's «Approve» under {@code request}, as the bot makes it. */
    static String approve(ManualTopUp request) {
        return "*|+|" + request.id() + ":" + request.createdAt().toEpochMilli();
    }

    /** The data of an admin's «Yes, decline» for {@code request}, as the bot makes it (its «Decline» only asks). */
    static String decline(ManualTopUp request) {
        return "*|-|" + request.id() + ":" + request.createdAt().toEpochMilli() + ":y";
    }
}
