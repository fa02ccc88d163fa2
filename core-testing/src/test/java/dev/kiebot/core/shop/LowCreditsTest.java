package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The operator's balance at the provider running low is told to the admins by core's upkeep, so a partner's shop on
 * its own provider is warned as kiebot's runner is (the alert lived in the runner alone): at most every six hours, once
 * for all instances on the stores, and only in a shop given a threshold.
 */
class LowCreditsTest {
    private static final long ADMIN_2 = 2;

    private static ShopHarness shop(UnaryOperator<Shop.Builder> configure) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN, ADMIN_2)).withAdmission(AdmissionPolicy.off()),
                ManualPayments.off(), configure);
    }

    private static Runnable creditsTask(Shop shop) {
        return shop.upkeep().tasks().stream().filter(t -> t.name().equals(Upkeep.CREDITS_TASK)).findFirst().orElseThrow()
                .run();
    }

    @Test
    void aPartnersShopWithLowCreditsTellsEachAdminOnceEverySixHours() {
        ShopHarness h = shop(b -> b.lowCredits(new BigDecimal("2000")).providerName("Acme"));
        h.provider.setCredits(new BigDecimal("1234.5"));
        Runnable credits = creditsTask(h.shop);

        credits.run();
        credits.run(); // ten minutes on, the same occasion
        h.deliver();
        assertThat(h.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .as("each admin told once").containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
        // what is left and the threshold written as the dashboard writes credits, and what to do, at the partner's
        // provider
        assertThat(h.messenger.texts().get(0)).contains("осталось 1\u00a0234,5", "меньше 2\u00a0000",
                "Пополните их в кабинете Acme");
        assertThat(h.stores.audit().byCorrelation("alert:credits")).extracting(AuditEvent::action, AuditEvent::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alert.credits_low", "1234.5"));
        h.messenger.drain();
        h.clock.advance(Duration.ofHours(5));
        credits.run();
        h.deliver();
        assertThat(h.messenger.all()).as("within six hours of the first").isEmpty();
        h.clock.advance(Duration.ofHours(2));
        credits.run();
        h.deliver();
        assertThat(h.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .as("six hours on, once again").containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
    }

    @Test
    void aSecondInstanceOnTheSameStoresTellsNothingWithinSixHours() {
        UnaryOperator<Shop.Builder> watched = b -> b.lowCredits(new BigDecimal("100"));
        ShopHarness h = shop(watched);
        h.provider.setCredits(new BigDecimal("12.5"));
        Shop other = h.anotherInstance(UnaryOperator.identity(), watched);

        creditsTask(h.shop).run();
        creditsTask(other).run();
        h.deliver();

        assertThat(h.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
    }

    @Test
    void creditsAtOrAboveTheThresholdOrUnreadTellNobody() {
        ShopHarness h = shop(b -> b.lowCredits(new BigDecimal("100")));
        Runnable credits = creditsTask(h.shop);
        h.provider.setCredits(new BigDecimal("5000"));
        credits.run();
        h.provider.setCredits(new BigDecimal("100"));
        credits.run();
        h.provider.failCredits(new ProviderException(ErrorKind.CONNECT, "connection refused", true));
        credits.run(); // logged, not thrown: the task runs again in ten minutes
        h.deliver();

        assertThat(h.messenger.all()).isEmpty();
        assertThat(h.provider.creditReads()).isEqualTo(3);
    }

    /**
     * A wrong key was found at the first paying user's order (refunded, the admins told then): the credit check a
     * minute after the start reads it first, and tells the admins as an order's refusal does, once for the pause.
     */
    @Test
    void aKeyTheProviderRefusesAtTheCreditCheckIsToldToTheAdminsBeforeAnyOrder() {
        ShopHarness h = shop(b -> b.lowCredits(new BigDecimal("100")));
        Runnable credits = creditsTask(h.shop);
        h.provider.failCredits(new ProviderException(ErrorKind.AUTH, "401", false));

        credits.run();
        credits.run(); // within the pause: the same outage
        h.deliver();

        assertThat(h.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
        assertThat(h.messenger.texts().get(0)).startsWith("⚠️ Kie не принял ключ доступа магазина");
    }

    /**
     * A threshold given for a provider with no balance to read (its {@code credits()} empty) would stay silent for
     * good: the log says once, at the first look, that the alarm has nothing to read, not at every look.
     */
    @Test
    void aThresholdForAProviderWithNoBalanceSaysOnceThatTheAlarmHasNothingToRead() {
        dev.kiebot.core.testing.ScriptedProvider scripted = new dev.kiebot.core.testing.ScriptedProvider();
        dev.kiebot.core.jobs.GenerationProvider noBalance = new dev.kiebot.core.jobs.GenerationProvider() {
            @Override
            public String submit(dev.kiebot.core.jobs.SubmitRequest request) throws ProviderException {
                return scripted.submit(request);
            }

            @Override
            public dev.kiebot.core.jobs.TaskStatus status(dev.kiebot.core.catalog.Model model, String taskId)
                    throws ProviderException {
                return scripted.status(model, taskId);
            }

            @Override
            public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
                return scripted.upload(content, fileName, mimeType);
            }
        };
        ShopHarness h = shop(b -> b.lowCredits(new BigDecimal("100")).provider(noBalance));
        Runnable credits = creditsTask(h.shop);

        java.util.List<String> logged = LoggedLines.of(LowCredits.class, java.util.logging.Level.INFO, () -> {
            credits.run();
            credits.run(); // ten minutes on: said already
        });
        h.deliver();

        assertThat(logged).singleElement().satisfies(line -> assertThat(line).startsWith("WARNING ")
                .contains("low-credits alarm (Shop.Builder.lowCredits 100; kiebot's runner: KIE_LOW_CREDITS) has "
                        + "nothing to read", "GenerationProvider.credits() is empty", "leave lowCredits out"));
        assertThat(h.messenger.all()).as("no alert: nothing is low").isEmpty();
    }

    /** A partner's provider may have no balance: without a threshold nothing reads it, nothing is told. */
    @Test
    void withoutAThresholdThereIsNoCreditsTaskAndTheBalanceIsNeverRead() {
        ShopHarness h = shop(UnaryOperator.identity());
        h.provider.setCredits(new BigDecimal("-3"));

        h.shop.upkeep().tasks().forEach(t -> t.run().run());
        h.deliver();

        assertThat(h.shop.upkeep().tasks()).extracting(Upkeep.Task::name).doesNotContain(Upkeep.CREDITS_TASK);
        assertThat(h.provider.creditReads()).isZero();
        assertThat(h.messenger.all()).isEmpty();
    }

    @Test
    void theCreditsTaskRunsEveryTenMinutes() {
        ShopHarness h = shop(b -> b.lowCredits(BigDecimal.ONE));

        assertThat(h.shop.upkeep().tasks()).extracting(Upkeep.Task::name, Upkeep.Task::every)
                .contains(org.assertj.core.groups.Tuple.tuple(Upkeep.CREDITS_TASK, Duration.ofMinutes(10)));
    }

    @Test
    void aThresholdOfZeroOrLessIsRefusedNamingTheCall() {
        for (String threshold : new String[] {"0", "-1"}) {
            assertThatThrownBy(() -> shop(b -> b.lowCredits(new BigDecimal(threshold))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lowCredits (kiebot's runner: KIE_LOW_CREDITS) must be a balance more "
                            + "than 0, got " + threshold);
        }
    }
}
