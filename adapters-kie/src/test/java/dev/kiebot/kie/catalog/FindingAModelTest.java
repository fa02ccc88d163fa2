package dev.kiebot.kie.catalog;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A first-time user finding a model in the shipped catalog (review R5): the free list starts with what he can try
 * with words alone, a model needing a photo says so on its button, the long sections stand on two shelves (by
 * description, by photo), the music buttons say what differs, and the welcome takes him to a free picture's first
 * question in one tap.
 */
class FindingAModelTest {
    private static final long U = 42;
    private final Catalog catalog = KieCatalog.fromClasspath();
    private final ShopHarness h = new ShopHarness(catalog, ShopSettings.defaults()).speaking("ru");

    private static boolean needsFile(Model m) {
        return m.askedFields().stream().anyMatch(f -> f.type().isMedia() && f.required());
    }

    private static boolean needsPhoto(Model m) {
        return m.askedFields().stream().anyMatch(f -> f.required()
                && (f.type() == FieldType.IMAGE || f.type() == FieldType.IMAGES));
    }

    /** The models whose cards the buttons of the replies open, in order. */
    private List<Model> models(List<Reply> replies) {
        List<Model> out = new ArrayList<>();
        Reply last = replies.get(replies.size() - 1);
        List<Button> buttons = last instanceof Reply.EditText e ? e.keyboard().buttons()
                : ((Reply.SendText) last).keyboard().buttons();
        buttons.forEach(b -> b.data().filter(d -> d.startsWith("*|v|"))
                .ifPresent(d -> out.add(catalog.model(d.substring(4)).orElseThrow())));
        return out;
    }

    @Test
    void theFreeListStartsWithAPictureFromWordsThenFromAPhotoThenTheRest() {
        h.command(U, "start");
        List<Reply> free = h.press(U, "*|f");
        List<Model> listed = models(free);
        assertThat(listed).hasSizeGreaterThan(2);
        assertThat(listed.get(0).category()).isEqualTo(Category.IMAGE);
        assertThat(needsFile(listed.get(0))).as(listed.get(0).id()).isFalse();
        assertThat(buttonTexts(free).get(0)).isEqualTo("🆓 Z-Image");
        List<Integer> ranks = listed.stream()
                .map(m -> m.category() != Category.IMAGE ? 2 : needsFile(m) ? 1 : 0).toList();
        assertThat(ranks).as(listed.stream().map(Model::id).toList().toString()).isSorted();
        assertThat(ranks).contains(0, 1, 2);
    }

    /**
     * One mark for a model that needs a photo: its title says «фото» («Nano Banana: по фото», «Убрать фон с фото»),
     * never «ремикс» or a bare «: фото» beside the «: по фото» of the others; a model putting the people of up to 9
     * photos into a video is «: герои», what fits «HappyHorse 1.1» with its price on a phone: «: образцы» read as the
     * model's samples, not the user's photos.
     */
    @Test
    void aModelNeedingAPhotoSaysSoInOneFormOnItsButton() {
        for (Model m : catalog.models()) {
            String title = m.title("ru");
            if (needsPhoto(m)) {
                assertThat(title).as(m.id()).containsAnyOf("фото", ": герои");
            }
            assertThat(title).as(m.id()).doesNotEndWith(": фото").doesNotContain("ремикс").doesNotContain("образц");
        }
        h.command(U, "start");
        assertThat(buttonTexts(h.press(U, "*|f"))).contains("🆓 Ideogram V3: по фото",
                "🆓 Убрать фон с фото", "🆓 Улучшить чёткость фото");
    }

    /**
     * A title says in words what its model makes: «Kling 2.6 I2V», «Wan 2.7 R2V» and «Wan 2.6 V2V» named the API's
     * kinds, and «ElevenLabs: доступная» beside «Звуки ElevenLabs» in the audio list (and alone among the popular
     * models) never said it reads a text aloud.
     */
    @Test
    void aTitleSaysWhatItsModelMakesInWords() {
        for (Model m : catalog.models()) {
            for (String lang : List.of("ru", "en")) {
                assertThat(m.title(lang)).as(lang + " " + m.id()).doesNotContainPattern("\\b[TIRV]2[VI]\\b");
            }
            if (m.id().contains("text-to-speech")) {
                assertThat(m.title("ru")).as(m.id()).startsWith("Озвучка ");
            }
        }
        assertThat(catalog.models()).filteredOn(m -> m.id().contains("text-to-speech")).hasSize(2);
    }

    /** Model ids on every page of a shelf ({@code t} or {@code f}) of a section, following its ▶ buttons. */
    private List<Model> shelf(Category c, String shelf) {
        List<Model> out = new ArrayList<>();
        List<Reply> page = h.press(U, "*|p|" + c.name() + ":0:" + shelf);
        for (int i = 0; i < 20; i++) {
            out.addAll(models(page));
            if (buttonTexts(page).stream().noneMatch(b -> b.endsWith("➡"))) {
                break;
            }
            page = h.press(U, button(page, "➡"));
        }
        return out;
    }

    @Test
    void theVideoAndPictureSectionsStandOnTwoShelvesByWhatTheUserBrings() {
        h.command(U, "start");
        for (Category c : List.of(Category.VIDEO, Category.IMAGE)) {
            List<Reply> section = h.press(U, "*|c|" + c.name());
            String title = c == Category.VIDEO ? "🎬 Видео" : "🖼 Картинки";
            assertThat(lastText(section)).startsWith(title + " по описанию: выберите модель.");
            assertThat(buttonTexts(section).get(0)).as(c.name())
                    .isEqualTo(c == Category.VIDEO ? "📷 Модели по фото и видео" : "📷 Модели по фото");
            assertThat(models(section)).as(c.name()).noneMatch(FindingAModelTest::needsFile);
            List<Model> byWords = shelf(c, "t");
            List<Model> byFile = shelf(c, "f");
            assertThat(byWords).as(c.name()).noneMatch(FindingAModelTest::needsFile);
            assertThat(byFile).as(c.name()).allMatch(FindingAModelTest::needsFile);
            Set<Model> all = new LinkedHashSet<>(byWords);
            all.addAll(byFile);
            assertThat(all).as(c.name() + ": every model on one shelf or the other")
                    .containsExactlyInAnyOrderElementsOf(catalog.models(c));
            List<Reply> photos = h.press(U, "*|p|" + c.name() + ":0:f");
            assertThat(lastText(photos)).startsWith(title + " по фото");
            assertThat(buttonTexts(photos).get(0)).isEqualTo("✍️ Модели по описанию");
        }
        // 23 of the 46 video models need no file: 4 pages of 7 (6 pages of all 44 before)
        assertThat(lastText(h.press(U, "*|c|VIDEO"))).contains("Страница 1 из 4.");
        // a photo model's card goes back to the photo shelf
        List<Reply> card = h.press(U, "*|v|kling-2.6/image-to-video");
        assertThat(button(card, "◀ Назад")).isEqualTo("*|p|VIDEO:0:f");
        assertThat(button(h.press(U, "*|v|kling-2.6/text-to-video"), "◀ Назад")).isEqualTo("*|p|VIDEO:0:t");
        // a short section stays one list
        assertThat(buttonTexts(h.press(U, "*|c|AUDIO"))).noneMatch(b -> b.contains("По описанию"));
    }

    /** The old menu's page buttons, in users' chats, still open a page of models: of the description's shelf. */
    @Test
    void aPageButtonOfTheMenuBeforeTheShelvesStillOpensAPage() {
        h.command(U, "start");
        List<Reply> old = h.press(U, "*|p|VIDEO:5");
        assertThat(lastText(old)).startsWith("🎬 Видео по описанию: выберите модель.");
        assertThat(models(old)).isNotEmpty().noneMatch(FindingAModelTest::needsFile);
        assertThat(lastText(h.press(U, "*|p|VIDEO:0:z"))).doesNotStartWith("🎬 Видео");
    }

    /**
     * The six Suno buttons were «Suno V5 · 9,36 ₽» to «Suno V4.5+: своя песня · 9,36 ₽» at one price: each says its way
     * (a description or one's own words), the newest version's two first.
     */
    @Test
    void theMusicButtonsSayWhatDiffers() {
        h.command(U, "start");
        List<String> music = buttonTexts(h.press(U, "*|c|MUSIC")).stream().filter(b -> b.contains("₽")).toList();
        assertThat(music).hasSize(6).allMatch(b -> b.contains(": по описанию ·") || b.contains(": ваши слова ·"));
        assertThat(music.subList(0, 2)).allMatch(b -> b.startsWith("Suno V5.5: "));
        String card = lastText(h.press(U, "*|v|suno-v5.5-custom"));
        assertThat(card).contains("📋 Нужно: 3\u00A0текста (название, стиль музыки, слова песни)")
                .doesNotContain("только текст");
    }

    @Test
    void theWelcomeTakesANewcomerToAFreePicturesFirstQuestion() {
        List<Reply> welcome = h.command(U, "start");
        assertThat(buttonTexts(welcome).get(0)).isEqualTo("🆓 Картинка бесплатно");
        assertThat(button(welcome, "Картинка бесплатно")).isEqualTo("*|g|z-image");
        // within the 11 buttons of a user's screen Messenger promises: the free list makes room, one 🆓 button on
        // the screen, and «🔥 Популярное» where the menu has it (two 🆓 of two meanings and no «Популярное» were)
        assertThat(buttonTexts(welcome)).hasSizeLessThanOrEqualTo(11).contains("🔥 Популярное")
                .doesNotContain("🆓 Бесплатные модели").filteredOn(b -> b.startsWith("🆓")).hasSize(1);
        assertThat(buttonTexts(h.command(U, "menu"))).contains("🔥 Популярное").doesNotContain("🆓 Картинка бесплатно");
        assertThat(lastText(h.press(U, button(welcome, "Картинка бесплатно")))).startsWith("✍️ Описание");
    }

    /** Seconds on the duration's buttons, and one photo asked as one. */
    @Test
    void aDurationSaysItsUnitAndOnePhotoIsAskedAsOne() {
        h.command(U, "start");
        h.topUp(U, 100_000);
        List<Reply> asked = h.press(U, "*|g|kling-2.6/image-to-video");
        assertThat(lastText(asked)).contains("Фото, с которым работает модель");
        h.send(U, new Event.Media(MediaType.PHOTO, "p1", 1000, Optional.of("image/jpeg"), Optional.empty()));
        List<Reply> duration = h.text(U, "девушка машет рукой");
        assertThat(lastText(duration)).startsWith("🔘 Длительность\n");
        assertThat(buttonTexts(duration)).anyMatch(b -> b.startsWith("✓ 5\u00A0с · "))
                .anyMatch(b -> b.startsWith("10\u00A0с · "));
        for (Model m : catalog.models()) {
            for (InputField f : m.askedFields()) {
                if (f.type().isMedia() && f.fileLimit() == 1) {
                    assertThat(f.labels().hint("ru")).as(m.id() + " " + f.name()).doesNotContain("которыми");
                }
            }
        }
    }
}
