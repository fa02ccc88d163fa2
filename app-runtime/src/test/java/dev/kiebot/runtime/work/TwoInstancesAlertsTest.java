package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.loops.SafetyPoll;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the bot on one PostgreSQL (a web service scaled to 2, or a rolling deploy's old and new instance
 * for a minute): what the admins are told once is told once by both together.
 */
class TwoInstancesAlertsTest {
    private static final long ADMIN_2 = 2;
    private Database poolB;
    private ShopHarness a;
    private ShopHarness b;

    @BeforeEach
    void twoInstancesOnOneDatabase() {
        a = new ShopHarness(TestCatalog.catalog(), settings(), ShopHarness.MANUAL,
                UnaryOperator.identity(), TestDatabase::emptyStores);
        poolB = TestDatabase.newPool(3);
        b = new ShopHarness(TestCatalog.catalog(), settings(), ShopHarness.MANUAL,
                UnaryOperator.identity(), clock -> PgStores.create(poolB, clock).asCoreStores());
    }

    private static ShopSettings settings() {
        return ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN, ADMIN_2))
                .withAdmission(AdmissionPolicy.off());
    }

    @AfterEach
    void closeSecondInstance() {
        poolB.close();
    }

    @Test
    void lowCreditsAreToldOnceEverySixHoursByBothInstancesTogether() {
        BackgroundWork workA = lowCredits(a);
        BackgroundWork workB = lowCredits(b);
        workA.checkCredits();
        workB.checkCredits(); // its own check, ten minutes apart at most: the same occasion
        a.deliver();
        assertThat(a.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .as("each admin told once").containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
        a.messenger.drain();
        b.clock.advance(Duration.ofHours(5));
        workB.checkCredits();
        a.deliver();
        assertThat(a.messenger.all()).as("within six hours of the first").isEmpty();
        a.clock.advance(Duration.ofHours(7));
        b.clock.advance(Duration.ofHours(2));
        workA.checkCredits();
        workB.checkCredits();
        a.deliver();
        assertThat(a.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .as("six hours on, once again").containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
    }

    private static BackgroundWork lowCredits(ShopHarness h) {
        return new BackgroundWork(h.shop, withCredits("12.5"), Set.of(ShopHarness.ADMIN, ADMIN_2),
                new BigDecimal("100"), h.clock, SafetyPoll.DEFAULT, quiet -> { });
    }

    private static GenerationProvider withCredits(String credits) {
        return new GenerationProvider() {
            @Override
            public String submit(SubmitRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public TaskStatus status(Model model, String taskId) {
                return new TaskStatus.Queued();
            }

            @Override
            public String upload(byte[] content, String fileName, String mimeType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BigDecimal credits() {
                return new BigDecimal(credits);
            }
        };
    }
}
