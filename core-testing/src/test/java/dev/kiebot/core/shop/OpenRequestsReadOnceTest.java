package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A photo at the menu, with a card / SBP request open, asks for the user's open requests twice (whether it is a
 * receipt, then the line the menu's answer adds): one update reads them from the store once.
 */
class OpenRequestsReadOnceTest {
    private static final long U = 42;

    @Test
    void aPhotoAtTheMenuReadsTheUsersOpenRequestsOnce() {
        AtomicInteger reads = new AtomicInteger();
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(
                Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b,
                clock -> counting(InMemoryStores.create(clock), reads));
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        long request = CardRequests.requested500(h, U).id();
        // no longer just requested: the photo is answered as the menu's, with the request's «I paid» under a line
        h.clock.advance(Duration.ofMinutes(70));
        reads.set(0);

        List<Reply> answer = h.send(U, new Event.Media(MediaType.PHOTO, "a-picture", 50_000, Optional.empty(),
                Optional.empty()));

        assertThat(buttonTexts(answer)).anySatisfy(b -> assertThat(b).endsWith("I paid: request #" + request));
        assertThat(reads.get()).as("the open requests read from the store").isEqualTo(1);
    }

    private static Stores counting(Stores s, AtomicInteger reads) {
        ManualTopUps real = s.manualTopUps();
        ManualTopUps counted = (ManualTopUps) Proxy.newProxyInstance(ManualTopUps.class.getClassLoader(),
                new Class<?>[] {ManualTopUps.class}, (proxy, method, args) -> {
                    if (method.getName().equals("open")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), counted, s.supportTickets(),
                s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                s.externalRefundDues(), s.personalData());
    }
}
