package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WELCOME_DAILY_TOTAL on two instances of the bot on one PostgreSQL: two new users at the day's last welcome bonus at
 * once, one on each instance, get one bonus between them, and the admins hear once that the day's are given out.
 */
class TwoInstancesWelcomeTotalTest {
    private static final long U = 42;
    private static final long U2 = 43;
    private static final long BONUS = 10_000;
    /** WELCOME_DAILY_TOTAL=1: one welcome bonus a day, every new user together. */
    private static final UnaryOperator<Shop.Builder> ONE_WELCOME_A_DAY = builder -> builder.welcomeDailyTotal(1);
    private Database poolB;
    private ShopHarness a;
    private ShopHarness b;

    @BeforeEach
    void twoInstancesOnOneDatabase() {
        a = new ShopHarness(TestCatalog.catalog(), settings(), ShopHarness.MANUAL, ONE_WELCOME_A_DAY,
                TestDatabase::emptyStores);
        poolB = TestDatabase.newPool(3);
        b = new ShopHarness(TestCatalog.catalog(), settings(), ShopHarness.MANUAL, ONE_WELCOME_A_DAY,
                clock -> PgStores.create(poolB, clock).asCoreStores());
    }

    private static ShopSettings settings() {
        return ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off())
                .withWelcomeBonus(BONUS);
    }

    @AfterEach
    void closeSecondInstance() {
        poolB.close();
    }

    @Test
    void twoNewUsersAtTheDaysLastWelcomeBonusOnTwoInstancesGetOneBetweenThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<List<Reply>> onA = pool.submit(() -> {
                go.await();
                return a.command(U, "start");
            });
            Future<List<Reply>> onB = pool.submit(() -> {
                go.await();
                return b.command(U2, "start");
            });
            go.countDown();
            List<Reply> sent = new ArrayList<>(onA.get());
            sent.addAll(onB.get());
            assertThat(List.of(a.balance(U), a.balance(U2))).as("one bonus between them")
                    .containsExactlyInAnyOrder(BONUS, 0L);
            assertThat(a.stores.freeUsage().welcomed(LocalDate.of(2026, 11, 21))).isEqualTo(1);
            assertThat(sent).filteredOn(r -> r instanceof Reply.SendText t && t.chatId() != ShopHarness.ADMIN
                    && t.text().contains("Welcome bonus")).as("told to the one who got it").hasSize(1);
            // the admin never wrote to the bot: told in Russian
            assertThat(sent).filteredOn(r -> r instanceof Reply.SendText t && t.chatId() == ShopHarness.ADMIN)
                    .extracting(r -> ((Reply.SendText) r).text()).as("the admins told once").singleElement()
                    .asString().contains("Приветственные бонусы на сегодня закончились");
        } finally {
            pool.shutdownNow();
        }
    }
}
