package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every model's button in the shipped catalog, its title with its price as the menus write it («Kling 2.6: по фото ·
 * от 42,90 ₽»), fits a phone's screen: a longer one is cut, and 47 of 88 were longer than 30 characters («Kling 2.5
 * Turbo Pro: оживить фото · от 32,76 ₽»). Read from the category pages themselves, in Russian and in English, with the
 * default prices, for a user with free generations left (the free models' «🆓 …») and one without.
 */
class ModelButtonsFitTest {
    /**
     * About what a phone shows on a one-button row of an inline keyboard, in characters: 36 let 19 priced buttons of
     * 33-36 in («Hailuo 2.3 Pro: по фото · от 35,10 ₽»), cut on a narrow phone; the longest titles are shorter and a
     * price of several is «от 35,10 ₽» without « · ». The price stays exact to the kopeck, so the longest priced
     * buttons are 34 («HappyHorse 1.1: по фото от 87,75 ₽»).
     */
    static final int BUTTON_MAX = 34;
    /** A paused or free model's button, its sign and its title. */
    static final int SIGNED_MAX = 32;
    /**
     * A model's title, in characters: what leaves its button room for a price of four digits and «от» («от 124,80 ₽»)
     * with a character or two to spare. Four titles of 26 and 27 («Seedream 4.5: редактор фото») filled theirs to 35
     * and 36 at the default prices, mostly of Cyrillic letters, wider than Latin ones on a phone's screen: a price a
     * digit longer cut them.
     */
    static final int TITLE_MAX = 25;
    private static final long WITH_FREE_USES = 71;
    private static final long FREE_USES_SPENT = 72;
    private final Catalog catalog = KieCatalog.fromClasspath();

    @Test
    void everyModelsButtonFitsAPhone() {
        for (String lang : List.of("ru", "en")) {
            ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()).speaking(lang);
            h.command(WITH_FREE_USES, "start");
            h.command(FREE_USES_SPENT, "start");
            LocalDate today = LocalDate.ofInstant(h.clock.instant(), ShopSettings.defaults().zone());
            for (int i = 0; i < FreeTier.DEFAULT_DAILY_LIMIT; i++) {
                h.stores.freeUsage().tryUse(FREE_USES_SPENT, today, FreeTier.DEFAULT_DAILY_LIMIT, "spent-" + i);
            }
            for (long user : List.of(WITH_FREE_USES, FREE_USES_SPENT)) {
                Map<String, String> buttons = modelButtons(h, user);
                assertThat(buttons.keySet()).as(lang + ": every model has a button")
                        .containsExactlyInAnyOrderElementsOf(catalog.models().stream().map(Model::id).toList());
                assertThat(buttons.values()).as(lang).anyMatch(b -> b.contains(" · "));
                buttons.forEach((id, text) -> assertThat(text.codePointCount(0, text.length()))
                        .as(lang + " " + id + ": «" + text + "»").isLessThanOrEqualTo(BUTTON_MAX));
            }
            assertThat(modelButtons(h, WITH_FREE_USES).values()).as(lang).anyMatch(b -> b.startsWith("🆓 "));
        }
    }

    /**
     * A paused model's button and a free one's fit a phone too: their «⏸ … · приостановлена» and «🆓 … · бесплатно»
     * cut 44 of 90 titles; the sign says it alone.
     */
    @Test
    void everyPausedAndFreeModelsButtonFitsAPhone() {
        for (String lang : List.of("ru", "en")) {
            ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults().withAdmins(java.util.Set.of(
                    ShopHarness.ADMIN))).speaking(lang);
            h.command(ShopHarness.ADMIN, "start");
            h.command(WITH_FREE_USES, "start");
            Map<String, String> free = modelButtons(h, WITH_FREE_USES);
            assertThat(free.values()).as(lang).anyMatch(b -> b.startsWith("🆓 "));
            free.values().stream().filter(b -> b.startsWith("🆓 ")).forEach(b -> assertThat(b.codePointCount(0,
                    b.length())).as(lang + ": «" + b + "»").isLessThanOrEqualTo(SIGNED_MAX));

            h.admin("pause", "all");
            Map<String, String> paused = modelButtons(h, WITH_FREE_USES);
            assertThat(paused.keySet()).as(lang + ": every model has a button")
                    .containsExactlyInAnyOrderElementsOf(catalog.models().stream().map(Model::id).toList());
            paused.forEach((id, text) -> assertThat(text).as(lang + " " + id).startsWith("⏸ ")
                    .satisfies(b -> assertThat(b.codePointCount(0, b.length())).isLessThanOrEqualTo(SIGNED_MAX)));
        }
    }

    @Test
    void everyModelsTitleLeavesItsButtonRoomForItsPrice() {
        for (Model m : catalog.models()) {
            for (String lang : List.of("ru", "en")) {
                String title = m.title(lang);
                assertThat(title.codePointCount(0, title.length())).as(lang + " " + m.id() + ": «" + title + "»")
                        .isLessThanOrEqualTo(TITLE_MAX);
            }
        }
    }

    /** Model id → its button's text, from every page of every category and shelf. */
    private Map<String, String> modelButtons(ShopHarness h, long user) {
        Map<String, String> out = new TreeMap<>();
        for (Category c : Category.values()) {
            int pages = (catalog.models(c).size() + ShopSettings.PAGE_SIZE - 1) / ShopSettings.PAGE_SIZE;
            // every page of the section, and of each of its shelves (by description, by file) where it has two
            for (int at = 0; at < 3 * pages; at++) {
                int page = at % pages;
                String shelf = List.of("", ":t", ":f").get(at / pages);
                // a user's presses at his pace: 39 at once ran into the chat's flood limit
                h.clock.advance(java.time.Duration.ofSeconds(5));
                List<Reply> shown = h.press(user, "*|p|" + c.name() + ":" + page + shelf);
                // a page pressed again where a shelf has fewer pages than the section is the same page: nothing edited
                List<Button> buttons = shown.stream().flatMap(r -> r instanceof Reply.EditText e ? e.keyboard().buttons()
                        .stream() : r instanceof Reply.SendText t ? t.keyboard().buttons().stream()
                        : java.util.stream.Stream.empty()).toList();
                for (Button b : buttons) {
                    b.data().filter(d -> d.startsWith("*|v|")).ifPresent(d -> out.put(d.substring(4), b.text()));
                }
            }
        }
        return out;
    }
}
