package dev.kiebot.core.payments;

import java.net.URI;

/**
 * Where a user tops up on a payment page of your own (port): {@code /topup} and the «➕ Пополнить» button show its
 * address as a link button, «💳 Оплатить онлайн» / "💳 Pay online", beside the Stars packs when the shop sells them
 * too. Give it with {@code Shop.Builder.topUpLink}; your provider's notification of the payment then reaches
 * {@code shop.externalTopUps().credit(...)}, which credits the user it names.
 *
 * <p>The address is shown to the user, who may copy it, change it and send it on: put in it only what you decide
 * identifies the user to your page (the user's id, or a code of your own for it), never a secret, and let your page
 * decide whom a payment credits. It is made while the user's update is handled, inside its transaction, at every
 * {@code /topup}: make it from the id alone, without a call to the network.
 */
@FunctionalInterface
public interface TopUpLink {
    /**
     * The payment page of this user.
     *
     * @param userId the user who opened {@code /topup} (the id your {@code ExternalPayment} names when you credit)
     * @return an absolute {@code https} (or {@code http}) address with a host and no user-info part
     *         ({@code name:password@}), never null; another makes {@code /topup} fail with an error naming it
     */
    URI forUser(long userId);
}
