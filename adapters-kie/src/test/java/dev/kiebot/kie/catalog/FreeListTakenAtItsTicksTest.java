package dev.kiebot.kie.catalog;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the free list says is what the user gets: a shipped model listed «бесплатно» though only one of its options is
 * free (ElevenLabs Sound FX at 5 s, Ideogram V3 Remix at TURBO) has that option ticked, so a user opening it from the
 * list and taking every ✓ reaches a free confirmation, not a paid one (found by review G: the ✓ was the paid default).
 * The question of such a ✓ says it is the free one: it said «✓ — по умолчанию» of an option that is not the default
 * (review R).
 */
class FreeListTakenAtItsTicksTest {
    private static final long U = 42;
    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);

    private final Catalog catalog = KieCatalog.fromClasspath();
    private final ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()
            .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b);

    /** A ✓ pressed, and the question it answered. */
    private record Tick(String button, String question) {
    }

    private static final String FREE_ONE = "Choose one (✓ is the free one):";
    private static final String DEFAULT = "Choose one (✓ is the default):";

    /** Answers every question: a photo, a description, else the ✓ option; @return the confirmation */
    private List<Reply> takeTheTicks(List<Reply> asked, List<Tick> ticksPressed) {
        List<Reply> r = asked;
        for (int step = 0; step < 10 && buttonTexts(r).stream().noneMatch(t -> t.startsWith("✅")); step++) {
            Optional<String> tick = buttonTexts(r).stream().filter(t -> t.startsWith("✓ ")).findFirst();
            if (tick.isPresent()) {
                ticksPressed.add(new Tick(tick.get(), ShopHarness.lastText(r)));
                r = h.press(U, button(r, tick.get()));
            } else if (ShopHarness.lastText(r).startsWith("📷")) {
                r = h.send(U, new Event.Media(MediaType.PHOTO, "p" + step, 1000, Optional.of("image/jpeg"),
                        Optional.empty()));
            } else {
                r = h.text(U, "rain on a tin roof");
            }
        }
        return r;
    }

    @ParameterizedTest
    @CsvSource({"elevenlabs/sound-effect-v2, ElevenLabs Sound FX, ✓ 5", "ideogram/v3-remix, Ideogram V3 Remix, ✓ Turbo"})
    void aModelTheFreeListCallsFreeIsFreeAtItsTicks(String modelId, String title, String freeTick) {
        h.command(U, "start");
        h.topUp(U, 10_000);
        List<Reply> free = h.press(U, "*|f");
        assertThat(buttonTexts(free)).contains("🆓 " + title);

        List<Tick> ticks = new java.util.ArrayList<>();
        List<Reply> confirm = takeTheTicks(h.press(U, "*|g|" + modelId), ticks);

        assertThat(ticks).anyMatch(t -> t.button().startsWith(freeTick) && t.button().endsWith("· free"));
        // the free ✓ is off the default and said to be the free one; a ✓ on a default is still the default
        assertThat(ticks).allSatisfy(t -> assertThat(t.question())
                .endsWith(t.button().startsWith(freeTick) ? FREE_ONE : DEFAULT));
        String go = button(confirm, "Generate for");
        assertThat(CallbackData.parse(go).orElseThrow().arg()).isEqualTo("free");
    }

    /** With no free use left the ✓ is the catalog's default again: nothing free to point to. */
    @Test
    void withNoFreeUseLeftTheTickIsTheDefault() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        for (int i = 0; i < 5; i++) {
            assertThat(h.stores.freeUsage().tryUse(U, DAY, 5, "earlier-" + i)).isTrue();
        }
        List<Tick> ticks = new java.util.ArrayList<>();
        takeTheTicks(h.press(U, "*|g|elevenlabs/sound-effect-v2"), ticks);
        assertThat(ticks).anyMatch(t -> t.button().startsWith("✓ 10\u00A0s ·"));
        assertThat(ticks).allSatisfy(t -> assertThat(t.question()).endsWith(DEFAULT));
    }

    /**
     * A model free at every option has its ✓ on the default, free too: the question says it is the default, as it
     * does in a model nothing of which is free.
     */
    @Test
    void aTickOnTheDefaultThatIsFreeIsStillTheDefault() {
        h.command(U, "start");
        List<Tick> ticks = new java.util.ArrayList<>();
        List<Reply> confirm = takeTheTicks(h.press(U, "*|g|z-image"), ticks);
        assertThat(ticks).singleElement().satisfies(t -> {
            assertThat(t.button()).startsWith("✓ 1:1");
            assertThat(t.question()).endsWith(DEFAULT);
        });
        assertThat(CallbackData.parse(button(confirm, "Generate for")).orElseThrow().arg()).isEqualTo("free");
    }
}
