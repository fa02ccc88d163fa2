package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The user's photo that the platform will not give: refused for good (Telegram's 400 to getFile), the job fails at
 * once with the money or the free generation back, told the photo could not be had; failing now and then until the
 * deadline, it is told the same, never that the model was too slow.
 */
class UserFileNotFetchedTest {
    private static final long U = 42;

    /** A photo, then its description: the cheapest model, in the free tier unless {@code freePerDay} is 0. */
    private static ShopHarness shop(FileSource files, int freePerDay) {
        return shop(files, freePerDay, ShopSettings.defaults());
    }

    private static ShopHarness shop(FileSource files, int freePerDay, ShopSettings settings) {
        InputField photo = new InputField("image_url", FieldType.IMAGE, true, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of("Фото", "Photo", "фото", "a photo"));
        Model retouch = new Model("retouch", "retouch", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Ретушь", "en", "Retouch"), Map.of("ru", "правит фото", "en", "edits"),
                List.of(photo, TestCatalog.labelled(InputField.prompt(500))),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
        return new ShopHarness(Catalog.of(List.of(retouch, TestCatalog.imageEdit())), settings,
                ManualPayments.off(), b -> b.files(files).freeDailyLimit(freePerDay)).speaking("ru");
    }

    /** A photo with its description as its caption, «Сгенерировать» pressed. */
    private static void ordered(ShopHarness s) {
        s.command(U, "start");
        s.topUp(U, 10_000);
        s.press(U, "*|g|retouch");
        List<Reply> confirm = s.send(U, new Event.Media(MediaType.PHOTO, "p1", 1000, Optional.of("image/jpeg"),
                Optional.empty()).withCaption("убери фон"));
        s.press(U, button(confirm, "Сгенерировать"));
    }

    private static String said(ShopHarness s) {
        return String.join("\n", s.messenger.texts()).replace('\u00A0', ' ');
    }

    @Test
    void aFileRefusedForGoodFailsTheJobAtOnceWithTheMoneyBack() {
        AtomicInteger tries = new AtomicInteger();
        ShopHarness s = shop(fileId -> {
            tries.incrementAndGet();
            throw new FileSource.FileUnavailableException("getFile: 400 Bad Request: wrong file_id");
        }, 0);
        ordered(s);
        s.messenger.drain();

        s.work(10);

        assertThat(s.lastJob(U).state()).isEqualTo(JobState.FAILED);
        assertThat(s.lastJob(U).failure()).contains("error.file_unavailable");
        assertThat(tries).hasValue(1);
        assertThat(s.balance(U)).isEqualTo(10_000);
        assertThat(said(s)).contains("не удалось получить из Telegram присланное вами фото или файл — пришлите его "
                + "ещё раз").contains("На баланс возвращено").doesNotContain("нейросеть");
    }

    @Test
    void aFreeJobWhoseFileIsRefusedGivesTheFreeGenerationBack() {
        ShopHarness s = shop(fileId -> {
            throw new FileSource.FileUnavailableException("getFile: 400 Bad Request: invalid file_id");
        }, 1);
        ordered(s);
        assertThat(s.lastJob(U).free()).isTrue();
        s.messenger.drain();

        s.work(10);

        assertThat(s.lastJob(U).failure()).contains("error.file_unavailable");
        assertThat(said(s)).contains("Бесплатная генерация вернулась");
        assertThat(s.balance(U)).isEqualTo(10_000);
    }

    @Test
    void aFileThatCannotBeDownloadedUntilTheDeadlineIsNotBlamedOnTheModel() {
        AtomicInteger tries = new AtomicInteger();
        ShopHarness s = shop(fileId -> {
            tries.incrementAndGet();
            throw new IOException("getFile: 502 Bad Gateway");
        }, 0);
        ordered(s);
        s.messenger.drain();

        for (int minute = 0; minute <= 12 && s.lastJob(U).state() != JobState.FAILED; minute++) {
            s.work(10);
            s.clock.advance(Duration.ofMinutes(1));
        }
        s.work(10);

        assertThat(tries.get()).isGreaterThan(1);
        assertThat(s.lastJob(U).failure()).contains("error.file_unfetched");
        assertThat(s.balance(U)).isEqualTo(10_000);
        assertThat(said(s)).contains("не удалось скачать из Telegram присланное вами фото или файл")
                .doesNotContain("нейросеть слишком долго не отвечала");
    }

    /**
     * The bot restarted (or another instance took the job) between the try that could not download the file and the
     * deadline, with no try in between: told that the file could not be had, as without the restart, not that the
     * model was too slow. Before, what the try learnt was the process's memory, lost with it.
     */
    @Test
    void aFileNotDownloadedBeforeARestartIsStillToldAtTheDeadline() {
        ShopHarness s = shop(fileId -> {
            throw new IOException("getFile: 502 Bad Gateway");
        }, 0);
        ordered(s);
        s.messenger.drain();
        s.work(10);
        assertThat(s.lastJob(U).state()).as("tried, to be tried again").isEqualTo(JobState.HELD);

        Shop restarted = s.anotherInstance(stores -> stores);
        s.clock.advance(Duration.ofHours(1)); // down past the job's deadline
        restarted.worker().runOnce(10);
        s.deliver();

        assertThat(s.lastJob(U).failure()).contains("error.file_unfetched");
        assertThat(s.balance(U)).isEqualTo(10_000);
        assertThat(said(s)).contains("не удалось скачать из Telegram присланное вами фото или файл")
                .doesNotContain("нейросеть слишком долго не отвечала");
    }

    /**
     * An admin's {@code /find} of a job whose file could not be downloaded at its last try, to be tried again: the
     * failure kept for its deadline read «сбой: не удалось скачать…», a job failed, while it was still being tried and
     * likely to be sent. It is said as what the user is told should its deadline come first; the failure line has none.
     */
    @Test
    void findOfAJobStillBeingTriedSaysItsKeptFailureIsForTheDeadline() {
        ShopHarness s = shop(fileId -> {
            throw new IOException("getFile: 502 Bad Gateway");
        }, 0, ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN)));
        s.command(ShopHarness.ADMIN, "start");
        ordered(s);
        s.work(10);
        var j = s.lastJob(U);
        assertThat(j.state()).isEqualTo(JobState.HELD);
        assertThat(j.failure()).contains("error.file_unfetched");

        String find = String.join("\n", s.admin("find", j.id().display()).stream()
                .filter(r -> r instanceof Reply.SendText).map(r -> ((Reply.SendText) r).text()).toList())
                .replace('\u00A0', ' ');

        // nothing failed yet: no failure line («сбой: —» read as one left unsaid)
        assertThat(find).contains("Если не отправится к сроку, ответ пользователю: не удалось скачать")
                .doesNotContain("сбой");
    }

    /** A file whose download failed once and then went up waited for the provider at its deadline, not for the file. */
    @Test
    void aFileDownloadedAtLastIsNotBlamedWhenTheProviderKeepsTheJobWaiting() {
        AtomicInteger tries = new AtomicInteger();
        ShopHarness s = shop(fileId -> {
            if (tries.incrementAndGet() == 1) {
                throw new IOException("getFile: 502 Bad Gateway");
            }
            return new FileSource.DownloadedFile(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB},
                    "p.jpg", "image/jpeg");
        }, 0);
        ordered(s);
        s.messenger.drain();
        s.work(10);
        assertThat(s.lastJob(U).failure()).as("its deadline would tell of the file").contains("error.file_unfetched");

        s.clock.advance(Duration.ofSeconds(10));
        s.work(10);
        assertThat(tries).hasValue(2);
        assertThat(s.lastJob(U).state()).isNotEqualTo(JobState.HELD);
        assertThat(s.lastJob(U).failure()).as("sent: nothing of the file's is left to tell").isEmpty();
    }

    /** A PDF renamed scan.jpg came as «image/jpeg»: it went to Kie after the hold, and Kie's refusal was the model's. */
    @Test
    void aFileThatIsNoPictureFailsBeforeItGoesToKieWithTheMoneyBack() {
        ShopHarness s = shop(fileId -> new FileSource.DownloadedFile("%PDF-1.7 scanned".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII), "scan.jpg", "image/jpeg"), 0);
        ordered(s);
        s.messenger.drain();

        s.work(10);

        assertThat(s.lastJob(U).failure()).contains("error.file_not_image");
        assertThat(s.provider.uploads).isEmpty();
        assertThat(s.balance(U)).isEqualTo(10_000);
        assertThat(said(s)).contains("присланный файл не удалось прочитать как картинку JPEG, PNG или "
                + "WEBP")
                .contains("На баланс возвращено");
    }

    @Test
    void picturesOfTheFormatsTheModelsTakeAreTold() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB};
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0};
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] heic = "\0\0\0\u0018ftypheic".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] riffWave = "RIFF\0\0\0\0WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(PictureBytes.takenByModels(jpeg)).isTrue();
        assertThat(PictureBytes.takenByModels(png)).isTrue();
        assertThat(PictureBytes.takenByModels(webp)).isTrue();
        assertThat(PictureBytes.takenByModels(heic)).isFalse();
        assertThat(PictureBytes.takenByModels(riffWave)).isFalse();
        assertThat(PictureBytes.takenByModels(new byte[] {(byte) 0xFF, (byte) 0xD8})).isFalse();
        assertThat(PictureBytes.takenByModels(new byte[0])).isFalse();
    }
}
