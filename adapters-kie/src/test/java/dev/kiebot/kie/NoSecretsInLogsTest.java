package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.KEY;
import static dev.kiebot.kie.KieTestSupport.config;
import static dev.kiebot.kie.KieTestSupport.provider;
import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.FakeKieServer.Reply;
import dev.kiebot.kie.fake.KieTestModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Kie key never appears in a log line or an exception, whatever happens. */
class NoSecretsInLogsTest {

    @Test
    void keyNeverLoggedNorInExceptions() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.kiebot.kie");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level before = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        List<String> messages = new ArrayList<>();
        try (FakeKieServer kie = FakeKieServer.start()) {
            // Only the status reads below are meant to time out: a short timeout on every call let a slow first
            // request (a loaded CI box) time out before Kie's 401 came back, and the test then read no key at all.
            KieProvider p = provider(config(kie).requestTimeout(Duration.ofSeconds(10)).build());
            KieProvider impatient = provider(config(kie).requestTimeout(Duration.ofMillis(300)).build());
            // Kie echoing the key in an error message must not leak it either
            kie.enqueue(Endpoint.CREATE_TASK, Reply.error(401, "Invalid key " + KEY));
            kie.enqueue(Endpoint.RECORD_INFO, Reply.ok("{}").after(Duration.ofSeconds(3)),
                    Reply.ok("{}").after(Duration.ofSeconds(3)), Reply.ok("{}").after(Duration.ofSeconds(3)));
            try {
                p.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x")));
            } catch (ProviderException e) {
                messages.add(e.getMessage());
            }
            try {
                impatient.status(KieTestModels.nanoBanana(), "t1");
            } catch (ProviderException e) {
                messages.add(e.getMessage());
            }
            String id = p.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "x")));
            p.status(KieTestModels.nanoBanana(), id);
            p.upload(new byte[] {1}, "a.png", "image/png");
            p.credits();
            messages.add(p.config().toString());
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
        assertThat(appender.list).isNotEmpty();
        for (ILoggingEvent e : appender.list) {
            messages.add(e.getFormattedMessage());
        }
        assertThat(messages).hasSizeGreaterThan(4).allSatisfy(m -> assertThat(m).doesNotContain(KEY));
        assertThat(messages.get(0)).contains("***");
    }
}
