package dev.kiebot.kie.catalog;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ChatState;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A file larger than the model takes at Kie (review R6): grok-imagine image-to-video takes images of 10 MB at most
 * (kie-models.md: "image_urls (≤7, ≤10 MB each)"), and the bot took Telegram's 20 MB, so an order with a 12 MB photo
 * was paid for and failed every time. The catalog now gives the field its limit and the photo is refused when it
 * arrives, the limit said, before any money moves.
 */
class ProvidersFileLimitTest {
    private static final long U = 42;
    private static final long MB = 1024 * 1024;
    private final Catalog catalog = KieCatalog.fromClasspath();
    private final ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()).speaking("ru");

    private List<Reply> photo(String fileId, long bytes) {
        return h.send(U, new Event.Media(MediaType.DOCUMENT, fileId, bytes, Optional.of("image/png"),
                Optional.of(fileId + ".png")));
    }

    private boolean photoTaken() {
        return ((ChatState.Collecting) h.session(U).state()).files().containsKey("image_urls");
    }

    @Test
    void grokImageToVideoRefusesAPhotoAboveTenMegabytesAndSaysTheLimit() {
        h.command(U, "start");
        h.topUp(U, 100_000);
        h.press(U, "*|g|grok-imagine/image-to-video");

        assertThat(lastText(photo("big", 12 * MB)))
                .startsWith("Файл слишком большой: эта модель принимает файлы до 9,5\u00A0МБ. Отправьте файл поменьше.");
        assertThat(photoTaken()).isFalse();
        assertThat(h.stores.jobs().recent(U, 1)).as("no order").isEmpty();
        assertThat(h.balance(U)).isEqualTo(100_000);

        photo("fits", 9 * MB);
        assertThat(photoTaken()).as("a photo within the limit").isTrue();
    }

    @Test
    void aModelWithoutALimitOfItsOwnTakesUpToTelegramsTwenty() {
        h.command(U, "start");
        h.press(U, "*|g|google/nano-banana-edit");
        h.text(U, "make it blue");
        photo("big", 12 * MB);
        assertThat(photoTaken()).isTrue();
    }

    @Test
    void theShippedCatalogGivesTheLimitWhereKieSaysOne() {
        assertThat(catalog.model("grok-imagine/image-to-video").flatMap(m -> m.field("image_urls"))
                .map(InputField::maxBytes)).contains(OptionalLong.of(10_000_000));
        List<String> limited = catalog.models().stream().flatMap(m -> m.fields().stream()
                .filter(f -> f.maxBytes().isPresent()).map(f -> m.id() + " " + f.name())).toList();
        assertThat(limited).containsExactly("grok-imagine/image-to-video image_urls");
    }

    @Test
    void aByteLimitOnAFieldThatTakesNoFileIsACatalogProblem() {
        Model grok = catalog.model("grok-imagine/image-to-video").orElseThrow();
        List<InputField> fields = grok.fields().stream()
                .map(f -> f.name().equals("prompt") ? f.withMaxBytes(1000) : f).toList();
        Model wrong = new Model(grok.id(), grok.kieModel(), grok.family(), grok.category(), grok.title(),
                grok.description(), fields, grok.skus(), grok.popularity());
        assertThat(Catalog.validate(List.of(wrong))).extracting(CatalogProblem::what)
                .anySatisfy(m -> assertThat(m).contains("maxBytes is for file fields"));
    }
}
