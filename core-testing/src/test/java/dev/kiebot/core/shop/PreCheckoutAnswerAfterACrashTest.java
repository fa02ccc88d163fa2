package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A pre-checkout's answer is decided and committed with its update, then sent after the commit: a process killed in
 * between (review E's kill -9: «pre-checkout pcq-502113 never answered») left the update done and the query
 * unanswered, and Telegram cancelled the payment 10 s later. The answer is kept with the update now, and the next
 * start sends it while Telegram still waits; past its window it is dropped, said in the log. The normal path stays
 * as it was: sent at once after the commit, never through the paced queue.
 */
class PreCheckoutAnswerAfterACrashTest {
    private static final long U = 7001;
    private static final String QUERY = "pcq-502113";
    private static final ShopSettings SETTINGS = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
            .withAdmission(AdmissionPolicy.off());

    /** The answers' pool of the run that is killed: what it is given never runs (dead before the call). */
    private final List<Runnable> neverRun = new ArrayList<>();
    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), SETTINGS, ShopHarness.MANUAL,
            b -> b.answers(neverRun::add));

    private List<Reply.AnswerPreCheckout> answersSent() {
        return h.messenger.all().stream().filter(Reply.AnswerPreCheckout.class::isInstance)
                .map(Reply.AnswerPreCheckout.class::cast).toList();
    }

    /** The pre-checkout handled and committed, its answer's call never made: the run is killed there. */
    private String preCheckoutHandledThenKilled() {
        String payload = h.invoiceFor50Stars(U);
        h.send(U, new Event.PreCheckout(QUERY, payload, "XTR", 50));
        assertThat(neverRun).as("the answer was left to the pool, which died").isNotEmpty();
        assertThat(answersSent()).isEmpty();
        return payload;
    }

    /**
     * A shop whose every pre-checkout answer's call throws after Telegram took it (a read timeout): the answer stays
     * kept. The rest goes to the harness's messenger.
     *
     * @param tookIt where the answers Telegram took are added
     */
    private static ShopHarness answersThrow(List<Reply> tookIt) {
        ShopHarness[] hh = new ShopHarness[1];
        dev.kiebot.core.reply.Messenger timesOut = reply -> {
            if (reply instanceof Reply.AnswerPreCheckout) {
                tookIt.add(reply); // Telegram took it, the read timed out
                throw new IllegalStateException("read timed out");
            }
            return hh[0].messenger.send(reply);
        };
        hh[0] = new ShopHarness(TestCatalog.catalog(), SETTINGS, ShopHarness.MANUAL, b -> b.messenger(timesOut));
        return hh[0];
    }

    /** A new run on the same stores starts its work, its answers on the starting thread. */
    private void restart() {
        Shop next = h.anotherInstance(s -> s, b -> b.answers(Runnable::run));
        ShopWork.start(next, ShopWork.Instances.ONE).close();
    }

    @Test
    void anAnswerKilledBeforeItsCallIsSentOnceByTheNextStartWithinItsWindow() {
        String payload = preCheckoutHandledThenKilled();
        h.clock.advance(Duration.ofSeconds(2)); // a quick restart: the process is ready in about 2 s (a host's restart delay on top); Telegram waits 10

        restart();
        restart(); // a second restart finds it gone

        assertThat(answersSent()).singleElement().satisfies(a -> {
            assertThat(a.queryId()).isEqualTo(QUERY);
            assertThat(a.ok()).isTrue();
            assertThat(a.chatId()).isEqualTo(U);
        });
        assertThat(h.stores.pendingReplies().keptAnswers()).isEmpty();

        long before = h.balance(U);
        h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        assertThat(h.balance(U)).as("the payment credits as ever, once").isGreaterThan(before);
        long credited = h.balance(U);
        h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        assertThat(h.balance(U)).isEqualTo(credited);
    }

    @Test
    void anAnswerFoundPastItsWindowIsNotSentAndIsLogged() {
        preCheckoutHandledThenKilled();
        h.clock.advance(Outbox.PRE_CHECKOUT_WINDOW.plusSeconds(1)); // down longer than Telegram waits

        List<String> logged = LoggedLines.of(Outbox.class, Level.WARNING, this::restart);

        assertThat(answersSent()).isEmpty();
        assertThat(logged).singleElement().asString().contains("pre-checkout").contains("not sent");
        assertThat(h.stores.pendingReplies().keptAnswers()).as("dropped, not found again").isEmpty();
    }

    /**
     * An answer whose call threw after Telegram took it (a read timeout) stays kept, and the user paid: the next
     * start, past its window, must not log that Telegram cancelled the payment and nothing was charged, which sent
     * an operator looking at a credited payment the wrong way; it says either may have happened.
     */
    @Test
    void anAnswerWhoseCallThrewAfterTelegramTookItIsNotLoggedAsAPaymentCancelled() {
        List<Reply> tookIt = new ArrayList<>();
        ShopHarness paid = answersThrow(tookIt);
        String payload = paid.invoiceFor50Stars(U);
        paid.send(U, new Event.PreCheckout(QUERY, payload, "XTR", 50));
        assertThat(tookIt).hasSize(1);
        assertThat(paid.stores.pendingReplies().keptAnswers()).as("kept after the throw").hasSize(1);
        long before = paid.balance(U);
        paid.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        assertThat(paid.balance(U)).as("the user paid: Telegram had the answer").isGreaterThan(before);

        paid.clock.advance(Duration.ofMinutes(30)); // the next deploy
        List<String> logged = LoggedLines.of(Outbox.class, Level.WARNING,
                () -> ShopWork.start(paid.anotherInstance(s -> s), ShopWork.Instances.ONE).close());

        assertThat(logged).singleElement().asString().contains("pre-checkout", "not sent again", "the call threw",
                "credited as usual").doesNotContain("nothing was charged");
        assertThat(paid.stores.pendingReplies().keptAnswers()).isEmpty();
    }

    /**
     * A kept answer whose call threw stayed until the next start (no periodic pass): on an instance whose answers
     * kept throwing they piled up, useless once Telegram had cancelled the payment. The upkeep's minute pass drops one
     * past its window, logged as the start logs it, and leaves one still inside it to its call, and one just past it
     * (30 s: {@link Outbox#KEPT_ANSWER_CALL_MAX}), whose call may still be on its way.
     */
    @Test
    void theUpkeepDropsAnAnswerWhoseCallThrewOncePastItsWindowAndLeavesOneInside() {
        ShopHarness throwing = answersThrow(new ArrayList<>());
        String payload = throwing.invoiceFor50Stars(U);
        throwing.send(U, new Event.PreCheckout(QUERY, payload, "XTR", 50));
        throwing.clock.advance(Duration.ofMinutes(2).minus(Outbox.PRE_CHECKOUT_WINDOW).minusSeconds(30));
        // its window ends 30 s before the upkeep's pass
        throwing.send(U, new Event.PreCheckout("pcq-just-past", payload, "XTR", 50));
        throwing.clock.advance(Outbox.PRE_CHECKOUT_WINDOW.plusSeconds(30));
        throwing.send(U, new Event.PreCheckout("pcq-inside", payload, "XTR", 50));
        assertThat(throwing.stores.pendingReplies().keptAnswers()).as("kept after their calls threw").hasSize(3);

        List<String> logged = LoggedLines.of(Outbox.class, Level.WARNING, () -> throwing.shop.upkeep().expire());

        assertThat(throwing.stores.pendingReplies().keptAnswers()).extracting(k -> k.answer().queryId())
                .containsExactlyInAnyOrder("pcq-just-past", "pcq-inside");
        assertThat(logged).singleElement().asString().contains("pre-checkout", "not sent again");
    }

    /**
     * A kept yes the next start finds past its window was dropped in the log alone: the user at the payment sheet had
     * Telegram's cancellation and no word of ours. He hears it may not have gone through (the call may have gone
     * before the kill), once, with the way home.
     */
    @Test
    void aKeptYesFoundPastItsWindowAtStartIsToldInTheChatOnce() {
        preCheckoutHandledThenKilled();
        h.clock.advance(Outbox.PRE_CHECKOUT_WINDOW.plusSeconds(1));
        h.messenger.drain();

        restart();
        restart();
        h.deliver();

        assertThat(h.messenger.drain()).filteredOn(Reply.SendText.class::isInstance).singleElement()
                .isInstanceOfSatisfying(Reply.SendText.class, t -> {
                    assertThat(t.chatId()).isEqualTo(U);
                    assertThat(t.text()).contains("may not have confirmed your payment", "topped up by itself");
                });
    }

    /**
     * A kept yes whose call threw (maybe after Telegram took it), dropped by the upkeep's pass: the chat hears it may
     * not have gone through, once however many passes (or instances) drop the same row.
     */
    @Test
    void aKeptYesTheUpkeepDropsIsToldInTheChatOnce() {
        ShopHarness throwing = answersThrow(new ArrayList<>());
        String payload = throwing.invoiceFor50Stars(U);
        throwing.send(U, new Event.PreCheckout(QUERY, payload, "XTR", 50));
        throwing.clock.advance(Duration.ofMinutes(2));
        List<dev.kiebot.core.reply.PendingReplies.KeptAnswer> kept = throwing.stores.pendingReplies().keptAnswers();
        throwing.messenger.drain();

        throwing.shop.upkeep().expire();
        // a second instance read the same row before the first forgot it, and drops it too
        kept.forEach(k -> throwing.stores.pendingReplies().keepAnswer(k));
        throwing.anotherInstance(s -> s).upkeep().expire();
        throwing.deliver();

        assertThat(throwing.messenger.drain()).filteredOn(Reply.SendText.class::isInstance).singleElement()
                .isInstanceOfSatisfying(Reply.SendText.class, t -> {
                    assertThat(t.chatId()).isEqualTo(U);
                    assertThat(t.text()).contains("may not have confirmed your payment");
                });
    }

    /**
     * A kept yes whose call threw after Telegram took it: the user paid, and the payment is recorded. The upkeep
     * dropping the row says nothing: «may not have confirmed your payment» came after «payment received».
     */
    @Test
    void aKeptYesWhosePaymentIsRecordedIsDroppedUnsaid() {
        ShopHarness throwing = answersThrow(new ArrayList<>());
        String payload = throwing.invoiceFor50Stars(U);
        throwing.send(U, new Event.PreCheckout(QUERY, payload, "XTR", 50));
        throwing.send(U, new Event.SuccessfulPayment("charge-kept-yes", payload, "XTR", 50));
        throwing.clock.advance(Duration.ofMinutes(2));
        throwing.deliver();
        throwing.messenger.drain();

        throwing.shop.upkeep().expire();
        throwing.deliver();

        assertThat(throwing.stores.pendingReplies().keptAnswers()).as("dropped").isEmpty();
        assertThat(throwing.messenger.drain()).filteredOn(Reply.SendText.class::isInstance).isEmpty();
    }

    /**
     * The sent answer was forgotten on the thread that answers pre-checkouts and button presses, after its call: a
     * database stall in that delete held every answer behind it, spinners turning past Telegram's window. It is
     * forgotten on a thread of its own now: with the store's forgetting stuck, a button press is still answered.
     */
    @Test
    void aStuckForgettingDoesNotHoldUpTheNextButtonsAnswer() throws Exception {
        CountDownLatch forgetting = new CountDownLatch(1);
        CountDownLatch unstick = new CountDownLatch(1);
        CountDownLatch pressAnswered = new CountDownLatch(1);
        ExecutorService oneAnswerThread = Executors.newSingleThreadExecutor();
        String payload = h.invoiceFor50Stars(U);
        Shop stalled = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public void answerGone(String queryId) {
                forgetting.countDown();
                try {
                    unstick.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.answerGone(queryId);
            }
        }, s.transactions()), b -> b.answers(oneAnswerThread).messenger(reply -> {
            Delivery d = h.messenger.send(reply);
            if (reply instanceof Reply.AnswerCallback) {
                pressAnswered.countDown();
            }
            return d;
        }));
        try {
            stalled.storefront().serve(new Incoming(9001, ShopHarness.actor(U, "en"),
                    new Event.PreCheckout(QUERY, payload, "XTR", 50)));
            assertThat(forgetting.await(30, TimeUnit.SECONDS)).as("answered, its forgetting stuck").isTrue();
            assertThat(answersSent()).singleElement().satisfies(a -> assertThat(a.queryId()).isEqualTo(QUERY));

            stalled.storefront().serve(new Incoming(9002, ShopHarness.actor(U, "en"),
                    new Event.Callback("cbq-1", "no-such-button", Optional.of(1L))));

            assertThat(pressAnswered.await(30, TimeUnit.SECONDS)).as("the button's answer went all the same")
                    .isTrue();
        } finally {
            unstick.countDown();
            oneAnswerThread.shutdown();
        }
    }

    @Test
    void inTheNormalPathTheAnswerGoesRightAfterTheCommitNotThroughTheQueue() {
        ShopHarness normal = new ShopHarness(TestCatalog.catalog(), SETTINGS, ShopHarness.MANUAL,
                b -> b.answers(Runnable::run).answerForgets(Runnable::run));
        String payload = normal.invoiceFor50Stars(U);
        normal.messenger.drain();

        // served alone: no sender runs, so only what leaves after the commit is sent
        normal.shop.storefront().serve(new Incoming(9001, ShopHarness.actor(U, "en"),
                new Event.PreCheckout(QUERY, payload, "XTR", 50)));

        assertThat(normal.messenger.all()).singleElement().isInstanceOfSatisfying(Reply.AnswerPreCheckout.class,
                a -> assertThat(a.ok()).isTrue());
        assertThat(normal.stores.pendingReplies().oldestWaiting()).as("nothing queued").isEmpty();
        assertThat(normal.stores.pendingReplies().keptAnswers()).as("forgotten once sent").isEmpty();
    }
}
