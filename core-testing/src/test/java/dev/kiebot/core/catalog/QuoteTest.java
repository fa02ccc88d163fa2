package dev.kiebot.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the confirm screen shows and what its "generate" button agrees to. */
class QuoteTest {
    private final Model model = TestCatalog.textToImage("img/x", "0.011", 1);
    private final Pricing pricing = Pricing.defaults();
    private final FreeTier nothingFree = new FreeTier(Set.of(), 5);

    /**
     * Values the model prices no more (an option it dropped, kept on an «again» button) are refused, naming the model
     * and the values: not quoted at the default SKU's price.
     */
    @Test
    void valuesTheModelPricesNoMoreAreRefusedNotQuotedAtTheDefault() {
        Model editor = TestCatalog.imageEdit();
        assertThatThrownBy(() -> Quote.of(editor, Map.of("resolution", "4K"), pricing, nothingFree, 10_000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edit/pro")
                .hasMessageContaining("resolution=4K");
    }

    @Test
    void aBalanceOfExactlyThePriceAffordsIt() {
        long price = pricing.userPrice(model.defaultSku());
        assertThat(Quote.of(model, Map.of(), pricing, nothingFree, price, 0).affordable()).isTrue();
        assertThat(Quote.of(model, Map.of(), pricing, nothingFree, price - 1, 0).affordable()).isFalse();
    }

    /** A restart with another markup between the screen and the press: the user sees the new price first. */
    @Test
    void aButtonShownAtOnePriceDoesNotAgreeToAnother() {
        Quote shown = Quote.of(model, Map.of(), pricing, nothingFree, 10_000, 0);
        Pricing dearer = new Pricing(pricing.fxRate(), new BigDecimal("3.0"), pricing.currency());
        Quote now = Quote.of(model, Map.of(), dearer, nothingFree, 10_000, 0);

        assertThat(now.price()).isGreaterThan(shown.price());
        assertThat(now.agreedTo(shown.terms())).isFalse();
        assertThat(shown.agreedTo(shown.terms())).isTrue();
    }
}
