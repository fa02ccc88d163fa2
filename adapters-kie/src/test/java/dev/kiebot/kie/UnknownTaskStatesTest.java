package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.KieTestModels;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A shop on the Kie adapter, against the fake Kie on 127.0.0.1, when a status read names a state Kie's documents do
 * not list (waiting, queuing, generating, success, fail). A task Kie cancelled or let expire was read as running, 10
 * reads and a refund at the deadline, with nothing above DEBUG in the log.
 */
class UnknownTaskStatesTest extends ShopOverFakeKie {
    private Logger logger;
    private ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void listen() {
        logger = (Logger) LoggerFactory.getLogger(KieProvider.class);
        logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    private static FakeKieServer.Reply record(String task, String state) {
        return FakeKieServer.Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"" + task
                + "\",\"model\":\"img/m9\",\"state\":\"" + state + "\",\"param\":\"{}\"}}");
    }

    /** Kie cancelled the task: the job fails at its first read and the user gets the money back, once. */
    @Test
    void aTaskKieCancelledIsRefundedAtItsFirstRead() {
        for (String state : new String[] {"canceled", "cancelled", "expired", "timeout"}) {
            Job j = started(42);
            String task = taskOf(j);
            kie.enqueue(Endpoint.RECORD_INFO, record(task, state));
            pass(Duration.ofSeconds(5));
            assertThat(job(j).state()).as(state).isEqualTo(JobState.FAILED);
            assertThat(h.balance(42)).as(state).isEqualTo(10_000);
        }
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** A state nobody documented is read as running, and said once for the task, by its name, at WARN. */
    @Test
    void aStateNotKnownIsReadAsRunningAndWarnedOncePerTaskNamingIt() {
        Job j = started(42);
        String task = taskOf(j);
        for (int read = 0; read < 5; read++) {
            kie.enqueue(Endpoint.RECORD_INFO, record(task, "paused"));
            pass(Duration.ofSeconds(5));
            assertThat(job(j).state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains(task, "\"paused\""));

        kie.succeed(task, "https://tempfile.example/cat.png");
        pass(Duration.ofSeconds(5));
        assertThat(job(j).state()).isEqualTo(JobState.DELIVERED);
    }

    /**
     * A Veo flag or a Suno status Kie's documents do not list is read as running too, and said once for the task, by
     * its name, at WARN: both families read such an answer as running in silence.
     */
    @Test
    void aVeoFlagOrASunoStatusNotKnownIsReadAsRunningAndWarnedOncePerTaskNamingIt() throws Exception {
        KieProvider provider = KieTestSupport.provider(kie);
        String veo = provider.submit(KieTestSupport.request(KieTestModels.veoFast(), Map.of("prompt", "sunset")));
        String suno = provider.submit(KieTestSupport.request(KieTestModels.sunoV5(), Map.of("prompt", "lofi")));
        for (int read = 0; read < 3; read++) {
            kie.enqueue(Endpoint.VEO_RECORD_INFO, FakeKieServer.Reply.ok("{\"code\":200,\"msg\":\"success\","
                    + "\"data\":{\"taskId\":\"" + veo + "\",\"successFlag\":4}}"));
            kie.enqueue(Endpoint.SUNO_RECORD_INFO, FakeKieServer.Reply.ok("{\"code\":200,\"msg\":\"success\","
                    + "\"data\":{\"taskId\":\"" + suno + "\",\"status\":\"PAUSED\"}}"));
            assertThat(provider.statusOnce(KieTestModels.veoFast(), veo)).isInstanceOf(TaskStatus.Running.class);
            assertThat(provider.statusOnce(KieTestModels.sunoV5(), suno)).isInstanceOf(TaskStatus.Running.class);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(m -> assertThat(m).contains(veo, "\"successFlag 4\""),
                        m -> assertThat(m).contains(suno, "\"PAUSED\""));
    }
}
