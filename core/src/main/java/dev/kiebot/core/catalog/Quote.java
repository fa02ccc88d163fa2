package dev.kiebot.core.catalog;

import java.util.Map;

/**
 * What one generation costs this user now: the SKU the inputs select, its price, whether today's free
 * allowance makes it free, and whether the balance covers it. Computed once per update from the facts and
 * passed on: the confirm screen shows it, the start request carries it.
 *
 * <p>A quote informs, it does not decide. What decides is, for money, the ledger hold placed when the
 * job starts ({@code Generations.start}), and for a free use, {@code FreeUsage.tryUse} at the same moment:
 * a quote made a second earlier can be outdated by then, and the job is refused, not overdrawn.
 *
 * @param sku        the variant the inputs select
 * @param price      the user's price of it, in minor units
 * @param free       today's free allowance pays for it
 * @param freeSku    the SKU is in the free tier (free or not, depending on what is left today)
 * @param affordable free, or the balance covers the price
 */
public record Quote(Sku sku, long price, boolean free, boolean freeSku, boolean affordable) {

    /**
     * The quote of one order.
     *
     * @param model         the model ordered
     * @param values        the inputs the job will send: they must select one of the model's SKUs
     *                      ({@link Model#skuFor})
     * @param pricing       the shop's pricing
     * @param freeTier      the shop's free allowance
     * @param balance       the user's available balance, minor units
     * @param freeUsedToday free generations the user made today, as they count ({@code FreeTier.usedToday}: all of his
     *                      allowance once the shop's day's total is given out)
     * @return the quote
     * @throws IllegalArgumentException when the model prices these values no more: a job's values kept from before a
     *                                  catalog change (its «again» button, a confirm screen saved before a restart)
     *                                  may name an option the model has dropped, and priced at the default SKU they
     *                                  sent the dropped (dearer) option to the provider at the default's price, or
     *                                  free when the default is in the free tier
     */
    public static Quote of(Model model, Map<String, String> values, Pricing pricing, FreeTier freeTier, long balance,
                           int freeUsedToday) {
        Sku sku = model.skuFor(values).orElseThrow(() -> new IllegalArgumentException(model.id()
                + " prices none of its SKUs for these values (an option it no longer offers?): " + values));
        boolean freeSku = freeTier.isFree(model.id(), sku.id());
        boolean free = freeTier.freeNow(freeUsedToday).contains(new SkuRef(model.id(), sku.id()));
        long price = pricing.userPrice(sku);
        return new Quote(sku, price, free, freeSku, free || balance >= price);
    }

    /**
     * What the job will hold: nothing when free.
     *
     * @return minor units; 0 when free
     */
    public long charge() {
        return free ? 0 : price;
    }

    /**
     * What the user agrees to by pressing the "generate" button of a screen that shows this quote: free, or this
     * price. The button carries it, so a press starts a job only on the terms its screen showed.
     *
     * @return {@code free}, or the price in minor units
     */
    public String terms() {
        return free ? "free" : Long.toString(price);
    }

    /**
     * Whether a button carrying {@code shown} agreed to this quote. A free use spent meanwhile (in another chat,
     * another screen), a limit or a price changed by a restart: the user sees the screen again, never a price
     * they were not shown.
     *
     * @param shown the terms the pressed button carried
     * @return true when they are this quote's
     */
    public boolean agreedTo(String shown) {
        return terms().equals(shown);
    }
}
