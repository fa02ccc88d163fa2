package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The defensive readings of Kie's conflicting status shapes. */
class KieStatusParserTest {
    private static JsonNode json(String s) throws Exception {
        return KieClient.JSON.readTree(s);
    }

    private static TaskStatus jobs(String data) throws Exception {
        return KieStatusParser.jobs(json("{\"code\":200,\"message\":\"success\",\"data\":" + data + "}"), Category.IMAGE);
    }

    private static TaskStatus.Succeeded ok(String... urls) {
        return new TaskStatus.Succeeded(new JobResult(List.of(urls), MediaKind.PHOTO));
    }

    @Test
    void documentedSuccessExample() throws Exception {
        assertThat(jobs("{\"taskId\":\"task_12345678\",\"model\":\"grok-imagine/text-to-image\",\"state\":\"success\","
                + "\"param\":\"{\\\"model\\\":\\\"x\\\"}\","
                + "\"resultJson\":\"{\\\"resultUrls\\\":[\\\"https://example.com/generated-content.jpg\\\"]}\","
                + "\"failCode\":\"\",\"failMsg\":\"\",\"completeTime\":1698765432000}"))
                .isEqualTo(ok("https://example.com/generated-content.jpg"));
    }

    @Test
    void resultJsonAsObjectOrNullWithTopLevelUrls() throws Exception {
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":{\"resultUrls\":[\"https://a/1.png\"]}}"))
                .isEqualTo(ok("https://a/1.png"));
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":null,\"resultUrls\":[\"https://a/2.png\"]}"))
                .isEqualTo(ok("https://a/2.png"));
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":\"\",\"resultUrls\":[\"https://a/3.png\",\"https://a/3.png\"]}"))
                .isEqualTo(ok("https://a/3.png"));
    }

    /**
     * {@code creditsConsumed} (the callback's schema documents it, recordInfo carries it) is what the task cost: in
     * dollars at $0.005 a credit, for the shop to compare with the catalog's price. Anything but a plausible number
     * is no figure, never a failed delivery.
     */
    @Test
    void whatATaskCostIsReadFromItsCredits() throws Exception {
        String done = "{\"state\":\"success\",\"resultJson\":\"{\\\"resultUrls\\\":[\\\"https://a/1.png\\\"]}\"";
        assertThat(jobs(done + ",\"creditsConsumed\":61}")).isInstanceOfSatisfying(TaskStatus.Succeeded.class,
                s -> assertThat(s.chargedUsd()).hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo("0.305")));
        assertThat(jobs(done + ",\"creditsConsumed\":\"6.5\"}")).isInstanceOfSatisfying(TaskStatus.Succeeded.class,
                s -> assertThat(s.chargedUsd()).hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo("0.0325")));
        assertThat(jobs(done + "}")).isEqualTo(ok("https://a/1.png"));
        for (String odd : List.of("-1", "\"abc\"", "true", "null", "{}", "\"1e-300000000\"", "1e300", "\"\"")) {
            assertThat(jobs(done + ",\"creditsConsumed\":" + odd + "}")).as(odd).isEqualTo(ok("https://a/1.png"));
        }
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"SUCCESS\",\"creditsConsumed\":12,"
                + "\"response\":{\"sunoData\":[{\"audioUrl\":\"https://a/s.mp3\"}]}}}"), Category.MUSIC))
                .isInstanceOfSatisfying(TaskStatus.Succeeded.class, s -> assertThat(s.chargedUsd()).hasValueSatisfying(
                        usd -> assertThat(usd).isEqualByComparingTo("0.06")));
    }

    /** Kie has charged for the task and may write the result after the state: the shop reads it again. */
    @Test
    void successWithoutUrlsIsAMissingResultNotAFailure() throws Exception {
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":\"{\\\"resultUrls\\\":[]}\"}"))
                .isInstanceOf(TaskStatus.ResultMissing.class);
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":\"\"}")).isInstanceOf(TaskStatus.ResultMissing.class);
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":null}")).isInstanceOf(TaskStatus.ResultMissing.class);
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":1,\"response\":{}}}"),
                Category.VIDEO)).isInstanceOf(TaskStatus.ResultMissing.class);
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"SUCCESS\"}}"), Category.MUSIC))
                .isInstanceOf(TaskStatus.ResultMissing.class);
    }

    /** A text model's answer ({@code resultObject}) is whole as it is: no later read brings a file, so it fails now. */
    @Test
    void aTextResultFailsAtOnceAsBefore() throws Exception {
        TaskStatus s = jobs("{\"state\":\"success\",\"resultJson\":\"{\\\"resultObject\\\":{\\\"text\\\":\\\"hi\\\"}}\"}");
        assertThat(s).isInstanceOf(TaskStatus.Failed.class);
        assertThat(((TaskStatus.Failed) s).kind()).isEqualTo(ErrorKind.GENERATION_FAILED);
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":\"{\\\"resultObject\\\":{}}\"}"))
                .isInstanceOf(TaskStatus.Failed.class);
    }

    /**
     * A success whose result cannot be read is a result missing (read 3 times more, then refunded with a RECONCILE
     * line), not a garbled answer read until the deadline. An answer with no record at all says nothing of the task:
     * a garbled answer, read again, never a done task (it refunded a task Kie was still making).
     */
    @Test
    void anUnreadableSuccessIsAResultMissingAndAnAnswerWithoutDataIsGarbled() throws Exception {
        assertThat(jobs("{\"state\":\"success\",\"resultJson\":\"{not json\"}"))
                .isInstanceOf(TaskStatus.ResultMissing.class);
        for (String answer : List.of("{\"code\":200,\"msg\":\"success\"}", "{\"code\":200,\"data\":null}",
                "{\"code\":200,\"data\":\"done\"}")) {
            assertThatThrownBy(() -> KieStatusParser.jobs(json(answer), Category.IMAGE)).as(answer)
                    .isInstanceOfSatisfying(ProviderException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE));
        }
    }

    @Test
    void states() throws Exception {
        assertThat(jobs("{\"state\":\"waiting\"}")).isInstanceOf(TaskStatus.Queued.class);
        assertThat(jobs("{\"state\":\"queuing\"}")).isInstanceOf(TaskStatus.Queued.class);
        assertThat(jobs("{\"state\":\"generating\"}")).isInstanceOf(TaskStatus.Running.class);
        List<String> unknown = new java.util.ArrayList<>();
        assertThat(KieStatusParser.jobs(json("{\"code\":200,\"data\":{\"state\":\"something-new\"}}"),
                Category.IMAGE, unknown::add)).isInstanceOf(TaskStatus.Running.class);
        assertThat(unknown).containsExactly("something-new");
        assertThat(KieStatusParser.jobs(json("{\"code\":200,\"data\":{\"state\":\"generating\"}}"),
                Category.IMAGE, unknown::add)).isInstanceOf(TaskStatus.Running.class);
        assertThat(unknown).as("a documented state is no news").hasSize(1);
        // a task Kie ended otherwise than by failing is over all the same: not read until the deadline
        assertThat(jobs("{\"state\":\"canceled\"}"))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "Kie ended the task as canceled"));
        assertThat(jobs("{\"state\":\"Cancelled\",\"failMsg\":\"stopped by the user\"}"))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "stopped by the user"));
        assertThat(jobs("{\"state\":\"expired\"}")).isInstanceOfSatisfying(TaskStatus.Failed.class,
                f -> assertThat(f.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(jobs("{\"state\":\"timeout\"}")).isInstanceOfSatisfying(TaskStatus.Failed.class,
                f -> assertThat(f.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(jobs("{\"state\":\"fail\",\"failCode\":\"500\",\"failMsg\":\"Internal\"}"))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.SERVER, "Internal (Kie 500)"));
        assertThat(jobs("{\"state\":\"fail\",\"failCode\":null,\"failMsg\":null}"))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "task failed"));
        assertThatThrownBy(() -> jobs("{\"taskId\":\"x\"}")).isInstanceOf(ProviderException.class);
    }

    @Test
    void veoShapes() throws Exception {
        JsonNode success = json("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"v\",\"successFlag\":1,"
                + "\"response\":{\"resultUrls\":\"[\\\"https://v/1.mp4\\\"]\"}}}");
        assertThat(KieStatusParser.veo(success, Category.VIDEO))
                .isEqualTo(new TaskStatus.Succeeded(new JobResult(List.of("https://v/1.mp4"), MediaKind.VIDEO)));
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":0}}"), Category.VIDEO))
                .isInstanceOf(TaskStatus.Running.class);
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":\"2\",\"errorCode\":422,"
                + "\"errorMessage\":\"bad image\"}}"), Category.VIDEO))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.INVALID_INPUT, "bad image (Kie 422)"));
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":3}}"), Category.VIDEO))
                .isInstanceOfSatisfying(TaskStatus.Failed.class,
                        f -> assertThat(f.kind()).isEqualTo(ErrorKind.GENERATION_FAILED));
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":1,"
                + "\"info\":{\"resultUrls\":[\"https://v/cb.mp4\"]}}}"), Category.VIDEO))
                .isInstanceOf(TaskStatus.Succeeded.class);
    }

    @Test
    void sunoShapes() throws Exception {
        String tracks = "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"https://s/1.mp3\"},"
                + "{\"id\":\"2\",\"audioUrl\":\"\",\"streamAudioUrl\":\"https://s/2-stream\"}]}";
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"SUCCESS\"," + tracks + "}}"),
                Category.MUSIC)).isEqualTo(new TaskStatus.Succeeded(
                new JobResult(List.of("https://s/1.mp3", "https://s/2-stream"), MediaKind.AUDIO)));
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"FIRST_SUCCESS\"}}"), Category.MUSIC))
                .isInstanceOf(TaskStatus.Running.class);
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"CREATE_TASK_FAILED\","
                + "\"errorCode\":413,\"errorMessage\":\"matches existing artwork\"}}"), Category.MUSIC))
                .isInstanceOfSatisfying(TaskStatus.Failed.class, f -> assertThat(f.detail()).contains("artwork"));
        // Suno's documented refusal by its content rules: the user is to change his words, not his parameters
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"SENSITIVE_WORD_ERROR\"}}"),
                Category.MUSIC)).isInstanceOfSatisfying(TaskStatus.Failed.class,
                f -> assertThat(f.kind()).isEqualTo(ErrorKind.CONTENT_POLICY));
        // not documented for Suno, ends all the same, as a Market task's: not read until the deadline, nor WARNed
        List<String> unknown = new java.util.ArrayList<>();
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"CANCELED\"}}"), Category.MUSIC,
                unknown::add)).isEqualTo(new TaskStatus.Failed(ErrorKind.GENERATION_FAILED,
                "Kie ended the task as CANCELED"));
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"Cancelled\","
                + "\"errorMessage\":\"stopped by the user\"}}"), Category.MUSIC, unknown::add))
                .isEqualTo(new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "stopped by the user"));
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"EXPIRED\"}}"), Category.MUSIC,
                unknown::add)).isInstanceOfSatisfying(TaskStatus.Failed.class,
                f -> assertThat(f.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(unknown).isEmpty();
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"CANCELED\","
                + "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"https://s/1.mp3\"},{\"id\":\"2\"}]}}}"),
                Category.MUSIC)).as("a take finished is delivered, as at any failure")
                .isEqualTo(new TaskStatus.Succeeded(new JobResult(List.of("https://s/1.mp3"), MediaKind.AUDIO),
                        Optional.empty(), 1));
        // any other status not documented is still read as running and told once by its name
        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"ON_HOLD\"}}"), Category.MUSIC,
                unknown::add)).isInstanceOf(TaskStatus.Running.class);
        assertThat(unknown).containsExactly("ON_HOLD");
    }

    /**
     * A Veo {@code successFlag} or a Suno {@code status} Kie's documents do not list (kie-api.md §5) is read as
     * running, the job's deadline bounding it, and told by its name, so that the provider WARNs it once per task: it
     * was read as running in silence, and a flag or status that meant the end kept the user waiting the whole deadline
     * with nothing in the log. A documented one is no news; the documented failures fail.
     */
    @Test
    void aVeoFlagOrASunoStatusNotDocumentedIsReadAsRunningAndToldByItsName() throws Exception {
        List<String> unknown = new java.util.ArrayList<>();
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":4}}"), Category.VIDEO,
                unknown::add)).isInstanceOf(TaskStatus.Running.class);
        assertThat(unknown).containsExactly("successFlag 4");
        unknown.clear();
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":0}}"), Category.VIDEO,
                unknown::add)).isInstanceOf(TaskStatus.Running.class);
        for (int failure : new int[] {2, 3}) {
            assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":" + failure + "}}"),
                    Category.VIDEO, unknown::add)).as("flag %d", failure).isInstanceOf(TaskStatus.Failed.class);
        }
        assertThat(KieStatusParser.veo(json("{\"code\":200,\"data\":{\"successFlag\":1,"
                + "\"response\":{\"resultUrls\":[\"https://v/1.mp4\"]}}}"), Category.VIDEO, unknown::add))
                .isInstanceOf(TaskStatus.Succeeded.class);
        assertThat(unknown).as("a documented flag is no news").isEmpty();

        assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"PAUSED\"}}"), Category.MUSIC,
                unknown::add)).isInstanceOf(TaskStatus.Running.class);
        assertThat(unknown).containsExactly("PAUSED");
        unknown.clear();
        String tracks = "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"https://s/1.mp3\"}]}";
        for (String status : new String[] {"PENDING", "TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS", "CALLBACK_EXCEPTION"}) {
            assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"" + status + "\","
                    + tracks + "}}"), Category.MUSIC, unknown::add)).as(status).isNotInstanceOf(TaskStatus.Failed.class);
        }
        for (String status : new String[] {"CREATE_TASK_FAILED", "GENERATE_AUDIO_FAILED", "SENSITIVE_WORD_ERROR"}) {
            assertThat(KieStatusParser.suno(json("{\"code\":200,\"data\":{\"status\":\"" + status + "\"}}"),
                    Category.MUSIC, unknown::add)).as(status).isInstanceOf(TaskStatus.Failed.class);
        }
        assertThat(unknown).as("a documented status is no news").isEmpty();
    }

    /**
     * {@code CALLBACK_EXCEPTION} is Kie failing to deliver a callback, at any stage (kie-api.md §3, Suno: statuses and
     * callbacks text → first → complete): every Suno task whose callback is the placeholder reads so. Neither a
     * failure (a song Kie goes on to make and charge for was refunded) nor a result while a take has only its stream.
     */
    @Test
    void anUndeliveredSunoCallbackSaysNothingOfTheMusic() throws Exception {
        String first = "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"https://s/1.mp3\","
                + "\"streamAudioUrl\":\"https://s/1-stream\"},{\"id\":\"2\",\"audioUrl\":\"\","
                + "\"streamAudioUrl\":\"https://s/2-stream\"}]}";
        String both = "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"https://s/1.mp3\"},"
                + "{\"id\":\"2\",\"audioUrl\":\"https://s/2.mp3\",\"streamAudioUrl\":\"https://s/2-stream\"}]}";
        String text = "\"response\":{\"sunoData\":[]}";
        assertThat(suno("\"status\":\"CALLBACK_EXCEPTION\"," + text)).isInstanceOf(TaskStatus.Running.class);
        assertThat(suno("\"status\":\"CALLBACK_EXCEPTION\",\"response\":null,\"errorCode\":null,"
                + "\"errorMessage\":null")).isInstanceOf(TaskStatus.Running.class);
        // one take done, the other only streaming: no result yet, but the done one is what the deadline delivers
        assertThat(suno("\"status\":\"CALLBACK_EXCEPTION\"," + first)).isEqualTo(new TaskStatus.PartlyDone(
                new TaskStatus.Succeeded(new JobResult(List.of("https://s/1.mp3"), MediaKind.AUDIO), Optional.empty(),
                        1)));
        assertThat(suno("\"status\":\"CALLBACK_EXCEPTION\",\"creditsConsumed\":12," + both))
                .isInstanceOfSatisfying(TaskStatus.Succeeded.class, s -> {
                    assertThat(s.result()).isEqualTo(new JobResult(List.of("https://s/1.mp3", "https://s/2.mp3"),
                            MediaKind.AUDIO));
                    assertThat(s.chargedUsd()).hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo("0.06"));
                });
        // a failure whose own callback failed too keeps Kie's code
        assertThat(suno("\"status\":\"CALLBACK_EXCEPTION\"," + text + ",\"errorCode\":413,"
                + "\"errorMessage\":\"matches existing artwork\"")).isInstanceOfSatisfying(TaskStatus.Failed.class,
                f -> assertThat(f.detail()).contains("artwork", "413"));
    }

    /**
     * Suno's two takes, one finished (its {@code audioUrl}) and the other not: at FIRST_SUCCESS the finished one is
     * what the job's deadline delivers (was: running, refunded whole at the deadline); Kie failing the task with one
     * take finished delivers that take (was: refunded whole); a failure with no take finished stays a failure.
     */
    @Test
    void aFinishedSunoTakeIsDeliveredWhenTheOtherDoesNotComeOut() throws Exception {
        String oneDone = "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"https://s/1.mp3\","
                + "\"streamAudioUrl\":\"https://s/1-stream\"},{\"id\":\"2\",\"audioUrl\":\"\","
                + "\"streamAudioUrl\":\"https://s/2-stream\"}]}";
        TaskStatus.Succeeded firstTake = new TaskStatus.Succeeded(
                new JobResult(List.of("https://s/1.mp3"), MediaKind.AUDIO), Optional.empty(), 1);
        assertThat(suno("\"status\":\"FIRST_SUCCESS\"," + oneDone))
                .isEqualTo(new TaskStatus.PartlyDone(firstTake));
        assertThat(suno("\"status\":\"GENERATE_AUDIO_FAILED\",\"errorCode\":501,\"errorMessage\":\"take 2 failed\","
                + oneDone)).isEqualTo(firstTake);
        assertThat(suno("\"status\":\"GENERATE_AUDIO_FAILED\",\"errorCode\":501,\"errorMessage\":\"failed\","
                + "\"response\":{\"sunoData\":[{\"id\":\"1\",\"audioUrl\":\"\"},{\"id\":\"2\"}]}"))
                .isInstanceOf(TaskStatus.Failed.class);
        // SUCCESS with a take Kie lost (no file, no stream): the other delivered, the user told of the missing one
        assertThat(suno("\"status\":\"SUCCESS\",\"response\":{\"sunoData\":[{\"id\":\"1\","
                + "\"audioUrl\":\"https://s/1.mp3\"},{\"id\":\"2\",\"audioUrl\":\"\"}]}")).isEqualTo(firstTake);
    }

    private static TaskStatus suno(String data) throws Exception {
        return KieStatusParser.suno(json("{\"code\":200,\"msg\":\"success\",\"data\":{" + data + "}}"), Category.MUSIC);
    }

    @Test
    void mediaKinds() {
        assertThat(KieStatusParser.mediaKind(Category.IMAGE)).isEqualTo(MediaKind.PHOTO);
        assertThat(KieStatusParser.mediaKind(Category.VIDEO)).isEqualTo(MediaKind.VIDEO);
        assertThat(KieStatusParser.mediaKind(Category.AUDIO)).isEqualTo(MediaKind.AUDIO);
        assertThat(KieStatusParser.mediaKind(Category.MUSIC)).isEqualTo(MediaKind.AUDIO);
    }
}
