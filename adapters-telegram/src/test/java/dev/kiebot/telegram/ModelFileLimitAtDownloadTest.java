package dev.kiebot.telegram;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model's own file limit ({@code InputField.maxBytes}: grok's 10 MB) is checked on the file's real size when the
 * worker downloads it, before the upload to Kie: Telegram leaves {@code file_size} out of some updates (or says 0),
 * and such a file passed the check made when it was sent, the order paid and Kie refusing it every time. Now the job
 * fails before anything reaches Kie, the user told the file is too large for the model, his money back where it was.
 */
class ModelFileLimitAtDownloadTest {
    private static final long U = 42;
    private static final long START = 10_000;
    private static final long LIMIT = 10_000_000;

    private FakeTelegramServer telegram;
    private ShopHarness h;
    private Shop worker;

    @BeforeEach
    void setUp() {
        telegram = FakeTelegramServer.start();
        Model edit = TestCatalog.imageEdit();
        Model limited = new Model(edit.id(), edit.kieModel(), edit.family(), edit.category(), edit.title(),
                edit.description(), edit.fields().stream()
                .map(f -> f.name().equals("image_urls") ? f.withMaxBytes(LIMIT) : f).toList(), edit.skus(),
                edit.popularity());
        h = new ShopHarness(Catalog.of(List.of(TestCatalog.textToImage("img/m1", "0.011", 1), limited)),
                ShopSettings.defaults()).speaking("ru");
        // the worker downloads through the Bot API, as kiebot's runners do
        worker = h.anotherInstance(s -> s, b -> b.files(new TelegramFileSource(telegram.bot())));
        h.command(U, "start");
        h.topUp(U, START);
    }

    @AfterEach
    void tearDown() {
        telegram.close();
    }

    private Job orderedWith(String fileId) {
        h.press(U, "*|g|edit/pro");
        h.text(U, "make it blue");
        // Telegram told no size: the conversation's check of the field's limit has nothing to go on
        List<Reply> r = h.send(U, new Event.Media(MediaType.DOCUMENT, fileId, 0, Optional.of("image/jpeg"),
                Optional.of("photo.jpg")));
        r = h.press(U, button(r, "Готово"));
        r = h.press(U, button(r, "1K"));
        h.press(U, button(r, "Сгенерировать"));
        Job j = h.lastJob(U);
        worker.worker().runOnce(10);
        worker.worker().runOnce(10);
        h.deliver();
        return j;
    }

    private static byte[] jpegOf(int bytes) {
        byte[] b = new byte[bytes];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        b[3] = (byte) 0xE0;
        return b;
    }

    @Test
    void aFileAboveTheModelsLimitWhoseSizeTelegramDidNotTellIsRefusedAtTheDownloadMoneyUnmoved() {
        telegram.registerFile("big", "documents/file_7.jpg", jpegOf((int) LIMIT + 1), null);

        Job j = orderedWith("big");

        assertThat(h.stored(j).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stored(j).failure()).contains("error.file_too_large_for_model");
        assertThat(h.provider.uploads).as("nothing went to Kie").isEmpty();
        assertThat(h.provider.submitted).isEmpty();
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains("Не получилось: файл слишком большой для этой "
                + "модели. Отправьте файл поменьше"));
        assertThat(h.balance(U)).as("money unmoved").isEqualTo(START);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aFileWithinTheLimitGoesUp() {
        telegram.registerFile("fits", "documents/file_8.jpg", jpegOf((int) LIMIT), 0L);

        Job j = orderedWith("fits");

        assertThat(h.stored(j).state()).isNotEqualTo(JobState.FAILED);
        assertThat(h.provider.uploads).hasSize(1);
    }
}
