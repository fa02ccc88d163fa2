package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model card, help, the Popular menu and /status. */
class CardsPopularAndStatusTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 100_000);
    }

    private static List<String> buttons(List<Reply> replies) {
        Reply last = replies.get(replies.size() - 1);
        Keyboard kb = last instanceof Reply.SendText t ? t.keyboard() : ((Reply.EditText) last).keyboard();
        return kb.buttons().stream().map(Button::text).toList();
    }

    @Test
    void theCardSaysWhatTheModelNeedsHowLongItTakesAndThePriceRange() {
        assertThat(lastText(h.press(U, "*|v|img/m9"))).contains("📋 Needs: text only", "⏱ Usually ready in 30\u00A0s",
                "Price: 2.97\u00A0₽");
        assertThat(lastText(h.press(U, "*|v|edit/pro"))).contains("📋 Needs: text and 1 to 3\u00A0photos",
                "Price: from 3.90\u00A0₽ to 5.46\u00A0₽");
        assertThat(lastText(h.press(U, "*|v|kling/video"))).contains("Needs: text only", "Usually ready in 3\u00A0min",
                "Price: from 42.90\u00A0₽ to 171.60\u00A0₽");
        h.speaking("ru");
        h.command(7, "start");
        assertThat(lastText(h.press(7, "*|v|edit/pro"))).contains("📋 Нужно: текст и от\u00A01 до\u00A03\u00A0фото",
                "⏱ Обычно готово за 30\u00A0с", "Цена: от 3,90\u00A0₽ до 5,46\u00A0₽");
    }

    /**
     * Fields of one photo each are counted together, and a text with photos one may add is no «only» text: the cards
     * said «Нужно: текст + одно фото + одно фото» (ideogram/character-remix) and «Нужно: только текст (можно добавить
     * до 14 фото)» (nano-banana-2).
     */
    @Test
    void theCardCountsPhotosOfOneAndSaysATextWithPhotosToAddIsNoOnlyText() {
        InputField image = new InputField("image_url", FieldType.IMAGE, true, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of("Фото", "Photo", "что переделать", "what to remix"));
        Model remix = model("remix", image, TestCatalog.labelled(InputField.images("image_urls", true, 1)),
                TestCatalog.labelled(InputField.prompt(1000)));
        Model references = model("references", TestCatalog.labelled(InputField.prompt(1000)),
                TestCatalog.labelled(InputField.images("image_urls", false, 14)));
        ShopHarness shop = new ShopHarness(Catalog.of(List.of(remix, references)), ShopSettings.defaults())
                .speaking("ru");
        shop.command(7, "start");
        assertThat(lastText(shop.press(7, "*|v|remix"))).contains("📋 Нужно: текст и 2\u00A0фото\n");
        assertThat(lastText(shop.press(7, "*|v|references")))
                .contains("📋 Нужно: текст (можно добавить до 14\u00A0фото)\n");
        shop.speaking("en");
        shop.command(8, "start");
        assertThat(lastText(shop.press(8, "*|v|remix"))).contains("📋 Needs: text and 2\u00A0photos\n");
        assertThat(lastText(shop.press(8, "*|v|references"))).contains("📋 Needs: text (you may add up to 14\u00A0photos)\n");
    }

    /**
     * A required field of several files says at least one is needed («до 3 фото» included none, and the bot waited for
     * the first without saying so); an optional one says «до»; several videos are asked for as several, with «Готово».
     */
    @Test
    void aQuestionForSeveralFilesSaysWhetherOneIsNeededAndAsksForVideosAsSeveral() {
        InputField clips = new InputField("video_urls", FieldType.VIDEOS, true, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.of(3), true)
                .withLabels(FieldLabels.of("Видео-референсы", "Reference videos", "ролики", "clips"));
        Model photos = model("photos", TestCatalog.labelled(InputField.images("image_urls", true, 3)),
                TestCatalog.labelled(InputField.prompt(1000)));
        Model optional = model("optional", TestCatalog.labelled(InputField.prompt(1000)),
                TestCatalog.labelled(InputField.images("image_urls", false, 14)));
        Model videos = model("videos", clips, TestCatalog.labelled(InputField.prompt(1000)));
        ShopHarness shop = new ShopHarness(Catalog.of(List.of(photos, optional, videos)), ShopSettings.defaults())
                .speaking("ru");
        shop.command(7, "start");
        assertThat(lastText(shop.press(7, "*|g|photos"))).endsWith("Отправьте от\u00A01 до\u00A03\u00A0фото: после первого появится кнопка «Готово».");
        assertThat(lastText(shop.send(7, new Event.Media(MediaType.PHOTO, "f1", 1000, Optional.empty(),
                Optional.empty())))).isEqualTo("Принято: 1\u00A0фото (можно до 3). Отправьте ещё или нажмите «Готово».");
        assertThat(lastText(shop.press(7, "*|v|videos"))).contains("📋 Нужно: текст и от\u00A01 до\u00A03\u00A0видео");
        assertThat(lastText(shop.press(7, "*|g|videos"))).endsWith("Отправьте от\u00A01 до\u00A03\u00A0видео: после первого появится кнопка «Готово».");
        shop.press(7, "*|g|optional");
        assertThat(lastText(shop.text(7, "кот"))).contains("Фото (необязательно)")
                .endsWith("Отправьте до 14\u00A0фото: после первого появится кнопка «Готово».");
    }

    private static Model model(String id, InputField... fields) {
        return new Model(id, id, Family.JOBS, Category.IMAGE, Map.of("ru", id, "en", id), Map.of("ru", "о", "en", "d"),
                List.of(fields), List.of(new Sku(Map.of(), new BigDecimal("0.06"), TestCatalog.SRC)), 1);
    }

    /**
     * A model with several prices shows the lowest on its button in words, not as a mathematical sign, its «от» the
     * separator («Kling Master: по фото · от 124,80 ₽» was 35 characters, more than a phone shows of a button), and
     * exact to the kopeck: «от 42 ₽» named a price nothing costs. A model of one price keeps it after « · ».
     */
    @Test
    void aModelOfSeveralPricesSaysFromOnItsButton() {
        assertThat(buttons(h.press(U, "*|^"))).anySatisfy(b -> assertThat(b).isEqualTo("Kling from 42.90\u00A0₽"))
                .noneMatch(b -> b.contains("≥"));
        h.speaking("ru");
        h.command(7, "start");
        List<String> ru = buttons(h.press(7, "*|^"));
        assertThat(ru).anySatisfy(b -> assertThat(b).isEqualTo("Клинг от 42,90\u00A0₽"))
                .anySatisfy(b -> assertThat(b).matches("Картинка img/m\\d+ · \\d+,\\d\\d\u00A0₽"));
    }

    @Test
    void helpShowsTheSupportContactAndTheFreeTierRule() {
        String help = lastText(h.command(U, "help"));
        assertThat(help).contains("🆓 Free: 5\u00A0generations a day on the 5\u00A0cheapest models",
                "💬 Support: /paysupport — write any question; the answer comes here.",
                "/status", "/popular");
        h.speaking("ru");
        h.command(7, "start");
        assertThat(lastText(h.command(7, "help"))).contains("🆓 Бесплатно: 5\u00A0генераций в день на 5\u00A0самых недорогих",
                "💬 Поддержка: /paysupport — напишите любой вопрос, ответ придёт сюда.");
    }

    @Test
    void popularListsTheModelsWithTheMostDeliveredJobsThisWeekThenTheCatalogsOrder() {
        // a new shop: the catalog's popularity order (img/m1..m5, then the video, also at 5, by id)
        List<String> fresh = buttons(h.press(U, "*|^"));
        assertThat(fresh).hasSize(11);
        assertThat(fresh.get(0)).contains("img/m1");
        assertThat(fresh.get(5)).contains("Kling");
        Instant now = h.clock.instant();
        delivered("tts/turbo", now.minus(Duration.ofDays(1)), 3);
        delivered("edit/pro", now.minus(Duration.ofHours(2)), 2);
        delivered("img/m12", now.minus(Duration.ofDays(8)), 5);
        List<Reply> popular = h.press(U, button(h.command(U, "menu"), "Popular"));
        assertThat(lastText(popular)).contains("Popular");
        List<String> models = buttons(popular);
        assertThat(models.get(0)).startsWith("Voice ·");
        assertThat(models.get(1)).isEqualTo("Editor from 3.90\u00A0₽");
        assertThat(models.get(2)).contains("img/m1");
        assertThat(models).hasSize(11).noneMatch(b -> b.contains("img/m12")).last().asString().contains("Menu");
    }

    @Test
    void statusAndAJobIdShowEveryRunningJobWithItsProgress() {
        assertThat(lastText(h.command(U, "status"))).contains("Nothing is running now");
        h.orderAFoxImage(U);
        h.press(U, "*|g|kling/video");
        List<Reply> confirm = h.press(U, button(h.press(U, button(h.press(U, button(h.text(U, "cat"), "✓ 5")),
                "✓ No")), "Default"));
        h.press(U, button(confirm, "Generate for"));
        h.shop.worker().runOnce(10);
        h.clock.advance(Duration.ofSeconds(40));
        String status = lastText(h.command(U, "status"));
        assertThat(status).contains("Running now:", "⏳ gen_1 · Image img/m9 — queued at the AI service, 40\u00a0s so far, usually about 30\u00a0s — almost there",
                "⏳ gen_2 · Kling — queued at the AI service, 40\u00a0s so far, usually about 3\u00a0min");
        String one = lastText(h.text(U, "gen_2"));
        assertThat(one).startsWith("⏳ gen_2 · Kling — queued at the AI service, 40\u00a0s so far, usually about 3\u00a0min")
                .contains("Also running:", "gen_1");
        assertThat(buttons(h.text(U, "gen_2"))).contains("🔄 Refresh");
        h.provider.succeed("task-1", "https://r/fox.png");
        h.shop.worker().runOnce(10);
        assertThat(lastText(h.press(U, "*|~"))).contains("gen_2").doesNotContain("gen_1");
        // a finished job's status has nothing to refresh: the button led to «nothing is running now»
        h.provider.succeed("task-2", "https://r/cat.mp4");
        h.clock.advance(Duration.ofSeconds(30));
        h.work(10);
        h.work(10);
        assertThat(lastText(h.command(U, "status"))).contains("Nothing is running now");
        assertThat(buttons(h.text(U, "gen_1"))).contains("🔁 Again").doesNotContain("🔄 Refresh")
                // says what it does, as the Russian «📤 Получить gen_1» does: a bare «📤 gen_1» did not
                .contains("📤 Send gen_1 again");
        // an admin looking at the user's job sees that job, not the admin's own running jobs
        h.command(ShopHarness.ADMIN, "start");
        h.topUp(ShopHarness.ADMIN, 10_000);
        h.press(ShopHarness.ADMIN, "*|g|img/m9");
        h.press(ShopHarness.ADMIN, button(h.press(ShopHarness.ADMIN, button(h.text(ShopHarness.ADMIN, "owl"), "1:1")),
                "Generate"));
        assertThat(lastText(h.text(ShopHarness.ADMIN, "gen_2"))).contains("gen_2").doesNotContain("gen_3")
                .doesNotContain("Also running");
        // and no job buttons: «Again» and «Send again» act on the presser's own jobs, «Refresh» opened the admin's
        assertThat(buttons(h.text(ShopHarness.ADMIN, "gen_2"))).singleElement().asString().contains("Menu");
        assertThat(buttons(h.text(ShopHarness.ADMIN, "gen_3"))).as("the admin's own job keeps them")
                .contains("🔁 Again", "🔄 Refresh");
    }

    /** A job ordered in English, then the user switched to Russian: /status reads Russian to the end of the line. */
    @Test
    void statusIsInTheViewersLanguageNotTheOneTheJobWasOrderedIn() {
        h.orderAFoxImage(U);
        h.clock.advance(Duration.ofSeconds(10));
        h.press(U, "*|l|ru");
        String status = lastText(h.command(U, "status"));
        assertThat(status).contains("gen_1", "Картинка img/m9").doesNotContain("queued", "Running", "Image img/m9");
    }

    @Test
    void everyPublishedCommandIsAnsweredAndDescribedInBothLanguages() {
        for (String name : PublicCommands.NAMES) {
            assertThat(lastText(h.command(U, name))).as(name).doesNotContain("do not know that command");
        }
        for (String lang : dev.kiebot.core.text.Texts.LANGUAGES) {
            assertThat(PublicCommands.in(new dev.kiebot.core.text.Texts(), lang)).extracting(PublicCommands.Command::description)
                    .allSatisfy(d -> assertThat(d).isNotBlank().doesNotStartWith("command."));
        }
    }

    /** {@code n} jobs of {@code model} created at {@code created} and delivered a minute later. */
    private void delivered(String model, Instant created, int n) {
        for (int i = 0; i < n; i++) {
            Job j = h.stores.jobs().create(new JobDraft(9, 9, "en", model, "default", Map.of(), Map.of(), 0, true,
                    created, created.plusSeconds(3600)));
            j = h.stores.jobs().update(j.held()).orElseThrow();
            j = h.stores.jobs().update(j.submitting()).orElseThrow();
            j = h.stores.jobs().update(j.submitted("t-" + j.id().value(), j.createdAt())).orElseThrow();
            j = h.stores.jobs().update(j.succeeded(new JobResult(List.of("https://r/x"), MediaKind.PHOTO),
                    created.plusSeconds(60))).orElseThrow();
            h.stores.jobs().update(j.delivered());
        }
    }
}
