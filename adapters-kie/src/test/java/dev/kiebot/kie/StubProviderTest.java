package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.kie.fake.KieTestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class StubProviderTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");

    private StubProvider stub(StubConfig c) {
        return new StubProvider(c.withClock(clock));
    }

    private StubProvider stub() {
        return stub(StubConfig.defaults().withDelay(Duration.ofSeconds(6)));
    }

    @Test
    void submitToDeliverablePng() throws Exception {
        StubProvider stub = stub();
        Model model = KieTestModels.nanoBanana();
        String id = stub.submit(request(model, Map.of("prompt", "A red fox in the snow, watercolor")));
        assertThat(id).isEqualTo("stub-1");

        assertThat(stub.status(model, id)).isInstanceOf(TaskStatus.Running.class);
        clock.advance(Duration.ofMillis(5_999));
        assertThat(stub.status(model, id)).isInstanceOf(TaskStatus.Running.class);
        clock.advance(Duration.ofMillis(1));
        TaskStatus s = stub.status(model, id);
        assertThat(s).isInstanceOf(TaskStatus.Succeeded.class);
        TaskStatus.Succeeded ok = (TaskStatus.Succeeded) s;
        assertThat(ok.result().kind()).isEqualTo(MediaKind.PHOTO);
        assertThat(ok.result().urls()).containsExactly("stub://stub-1/result.png");

        StubMedia.File file = stub.fetch(ok.result().urls().get(0)).orElseThrow();
        assertThat(file.mimeType()).isEqualTo("image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(file.bytes()));
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(StubMedia.PNG_SIZE);
    }

    /**
     * A task whose job ended leaves the stub's running tasks; the last {@link StubProvider#MAX_ENDED} ended ones stay
     * for the reads after an end, which answer as before it: the delivery's fetch (a job's end is written before its
     * result is sent) draws the same picture, a failed task still reads failed. Every task stayed before until 10,000
     * newer ones pushed it out, its whole prompt with it (BENCHMARKS 65's soak: up to 40 MiB).
     */
    @Test
    void aTaskWhoseJobEndedIsLetGoAfterItsReadsAndFetchedAsBeforeItsEnd() throws Exception {
        StubProvider stub = stub(StubConfig.defaults().withDelay(Duration.ZERO));
        Model model = KieTestModels.nanoBanana();
        String prompt = "fox ".repeat(1_000); // 4,000 characters, a whole message nearly
        String first = stub.submit(request(model, Map.of("prompt", prompt)));
        String url = ((TaskStatus.Succeeded) stub.status(model, first)).result().urls().get(0);
        byte[] before = stub.fetch(url).orElseThrow().bytes();
        // the prompt kept is cut to what the picture shows: the picture of the whole prompt
        assertThat(before).isEqualTo(StubMedia.forCategory(dev.kiebot.core.catalog.Category.IMAGE, prompt).bytes());
        stub.taskEnded(first);
        assertThat(stub.fetch(url).orElseThrow().bytes()).isEqualTo(before);
        assertThat(stub.status(model, first)).isInstanceOf(TaskStatus.Succeeded.class);
        for (int i = 1; i < StubProvider.MAX_ENDED * 3; i++) {
            String id = stub.submit(request(model, Map.of("prompt", prompt)));
            assertThat(stub.status(model, id)).isInstanceOf(TaskStatus.Succeeded.class);
            stub.taskEnded(id);
        }
        assertThat(stub.tasksKept()).isEqualTo(StubProvider.MAX_ENDED);

        StubProvider failing = stub(StubConfig.defaults().withDelay(Duration.ZERO)
                .withFailures(1.0, Optional.of(ErrorKind.GENERATION_FAILED), StubConfig.FailAt.STATUS));
        String failed = failing.submit(request(model, Map.of("prompt", "fox")));
        assertThat(failing.status(model, failed)).isInstanceOf(TaskStatus.Failed.class);
        failing.taskEnded(failed);
        assertThat(failing.status(model, failed)).isInstanceOf(TaskStatus.Failed.class);
        assertThat(failing.tasksKept()).isOne();
    }

    @Test
    void idsAreSequentialAndDeterministic() throws Exception {
        StubProvider stub = stub();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(stub.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "p" + i))));
        }
        assertThat(ids).containsExactly("stub-1", "stub-2", "stub-3");
    }

    @Test
    void musicAndAudioAreWavVideoIsMp4() throws Exception {
        StubProvider stub = stub(StubConfig.defaults().withDelay(Duration.ZERO));
        String music = stub.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "lofi")));
        TaskStatus.Succeeded m = (TaskStatus.Succeeded) stub.status(KieTestModels.sunoV5(), music);
        assertThat(m.result().kind()).isEqualTo(MediaKind.AUDIO);
        StubMedia.File wav = stub.fetch(m.result().urls().get(0)).orElseThrow();
        assertThat(wav.mimeType()).isEqualTo("audio/wav");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav.bytes()))) {
            assertThat(in.getFormat().getSampleRate()).isEqualTo(22_050f);
            assertThat(in.getFrameLength()).isGreaterThan(20_000);
        }

        String video = stub.submit(request(KieTestModels.kling26(), Map.of("prompt", "waves")));
        TaskStatus.Succeeded v = (TaskStatus.Succeeded) stub.status(KieTestModels.kling26(), video);
        assertThat(v.result().kind()).isEqualTo(MediaKind.VIDEO);
        StubMedia.File mp4 = stub.fetch(v.result().urls().get(0)).orElseThrow();
        assertThat(mp4.mimeType()).isEqualTo("video/mp4");
        assertThat(new String(mp4.bytes(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    @Test
    void fetchRejectsForeignUrls() throws Exception {
        StubProvider stub = stub();
        assertThat(stub.fetch("https://example.com/a.png")).isEmpty();
        assertThat(stub.fetch("stub://../etc/passwd")).isEmpty();
        assertThat(stub.fetch("stub://stub-1/other.png")).isEmpty();
        String id = stub.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x")));
        assertThat(stub.fetch("stub://" + id + "/result.wav")).isEmpty();
        assertThat(StubProvider.isStubUrl("stub://stub-1/result.png")).isTrue();
    }

    @Test
    void tasksFromBeforeARestartStillComplete() throws Exception {
        StubProvider stub = stub();
        TaskStatus s = stub.status(KieTestModels.nanoBanana(), "stub-1700000000000");
        assertThat(s).isInstanceOf(TaskStatus.Succeeded.class);
        String url = ((TaskStatus.Succeeded) s).result().urls().get(0);
        assertThat(stub.fetch(url)).isPresent();
        assertThatThrownBy(() -> stub.status(KieTestModels.nanoBanana(), "fake-task-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void forcedErrorAtSubmit() {
        StubProvider stub = stub(StubConfig.defaults().withFailures(0.0, Optional.of(ErrorKind.OUT_OF_CREDITS),
                StubConfig.FailAt.SUBMIT));
        assertThatThrownBy(() -> stub.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.OUT_OF_CREDITS);
                    assertThat(e.mayHaveReachedProvider()).as("Kie refused it: no task was made").isFalse();
                });
        StubProvider busy = stub(StubConfig.defaults().withFailures(0.0, Optional.of(ErrorKind.RATE_LIMITED),
                StubConfig.FailAt.SUBMIT));
        assertThatThrownBy(() -> busy.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.mayHaveReachedProvider()).isFalse());
    }

    @Test
    void forcedErrorAtStatus() throws Exception {
        StubProvider stub = stub(StubConfig.defaults().withDelay(Duration.ofSeconds(1))
                .withFailures(0.0, Optional.of(ErrorKind.GENERATION_FAILED), StubConfig.FailAt.STATUS));
        String id = stub.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x")));
        assertThat(stub.status(KieTestModels.nanoBanana(), id)).isInstanceOf(TaskStatus.Running.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(stub.status(KieTestModels.nanoBanana(), id))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "stub: injected failure"));
    }

    @Test
    void failRateIsSeededAndDeterministic() throws Exception {
        StubConfig c = StubConfig.defaults().withDelay(Duration.ZERO)
                .withFailures(0.3, Optional.empty(), StubConfig.FailAt.STATUS).withSeed(7);
        List<Boolean> first = outcomes(stub(c), 200);
        List<Boolean> second = outcomes(stub(c), 200);
        assertThat(first).isEqualTo(second);
        long failures = first.stream().filter(f -> f).count();
        assertThat(failures).isBetween(30L, 90L);
    }

    private List<Boolean> outcomes(StubProvider stub, int n) throws Exception {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = stub.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x")));
            out.add(stub.status(KieTestModels.nanoBanana(), id) instanceof TaskStatus.Failed);
        }
        return out;
    }

    @Test
    void uploadAndCredits() throws Exception {
        StubProvider stub = stub();
        String u1 = stub.upload(new byte[] {1, 2, 3}, "photo.jpg", "image/jpeg");
        String u2 = stub.upload(new byte[] {4}, "photo.jpg", "image/jpeg");
        assertThat(u1).isEqualTo("stub://upload/1");
        assertThat(u2).isEqualTo("stub://upload/2");
        assertThat(stub.fetch(u1).orElseThrow().bytes()).containsExactly(1, 2, 3);
        assertThat(stub.credits().orElseThrow()).isEqualByComparingTo("1000000");
    }

    @Test
    void invalidInputsAreRejectedLikeKie() {
        StubProvider stub = stub();
        assertThatThrownBy(() -> stub.submit(request(KieTestModels.nanoBanana(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT));
    }
}
