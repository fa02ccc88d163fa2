package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ForwardingAudit;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A result made while its user had blocked the bot is charged and its replies dropped with his queue; when he comes
 * back, he is told of it with a button that sends it. He got only «Welcome back» and the menu before, with no word of
 * a result he had paid for and never saw.
 */
class UnsentResultsTest {
    private static final long U = 42;
    /** What the messenger answers to a press's answer, then to «uploading a photo…», before the file's own send. */
    private static final Delivery PRESS_ANSWERED = new Delivery.Sent(Optional.empty(), List.of());
    private static final Delivery UPLOADING = new Delivery.Sent(Optional.empty(), List.of());
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /**
     * A result Telegram kept deferring (the chat refused for a day), then given up, is refunded: a «📤 Получить»
     * pressed meanwhile (from /history) queued the job's file again behind it, which went once the chat was taken
     * again, and he had the result and the money. Pressed while its first send is on its way, it says so and queues
     * no second copy; the first's end decides, as for a second whole re-send.
     */
    @Test
    void aSendAgainPressedWhileTheFirstIsDeferredSendsNoCopyOnceTheFirstIsGivenUpAndRefunded() {
        pressedWhileTheFirstIsDeferredADay("*|r|");
    }

    /**
     * «📎 Файлом» of it, pressed at that moment (its button is under the result, so a press forged by its owner): its
     * original as a document by URL waited behind the first send as a re-send did, and went after the refund.
     */
    @Test
    void anOriginalPressedWhileTheFirstIsDeferredSendsNoCopyOnceTheFirstIsGivenUpAndRefunded() {
        pressedWhileTheFirstIsDeferredADay("*|O|");
    }

    /** A new harness whose Telegram pacing runs on {@code pacing}: he has started the bot and topped up 100.00. */
    private void startedOn(MutableClock pacing) {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ManualPayments.off(), b -> b.pacingClock(pacing));
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /**
     * A new harness on {@code pacing}: his fox generated, charged and delivered, its first send deferred by Telegram
     * for 23 hours.
     */
    private Job aFoxWhoseFirstSendTelegramDefers23Hours(MutableClock pacing) {
        startedOn(pacing);
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        h.messenger.thenAnswer(UPLOADING, new Delivery.Deferred(Duration.ofHours(23), "429: retry after 82800"));
        h.provider.set(running.taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(List.of("https://r/fox.png"), MediaKind.PHOTO)));
        later(pacing, Duration.ofSeconds(5));
        h.work(10);
        Job done = h.stores.jobs().find(running.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(U)).as("charged").isLessThan(10_000);
        return done;
    }

    /**
     * The fox's first send deferred by Telegram for a day and given up, {@code pressed} (a button's data, the job's id
     * after it) pressed an hour in: the job refunded, nothing of it sent, he told it is on its way.
     */
    private void pressedWhileTheFirstIsDeferredADay(String pressed) {
        MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z"); // the outbox's clock: its waits, its day
        Job done = aFoxWhoseFirstSendTelegramDefers23Hours(pacing);

        later(pacing, Duration.ofHours(1));
        h.press(U, pressed + done.id().display());
        later(pacing, Duration.ofHours(22));
        h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofHours(2), "429: retry after 7200"));
        h.work(10);
        later(pacing, Duration.ofHours(2));
        h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofHours(2), "429: retry after 7200"));
        h.work(10);

        assertThat(h.balance(U)).as("given up: refunded").isEqualTo(10_000);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("and never sent as well").isEmpty();
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains("Already sending it"))
                .anyMatch(t -> t.contains("returned to your balance"));
    }

    /**
     * «📤 Получить» pressed a day and an hour after the result, the first send still waiting: Telegram's
     * {@code retry_after} put its next try past a day from the result, and it is given up only at the first try a
     * day after its first deferral. A guard counted a day from the result let a copy queue behind it: the first given
     * up refunded the job, the copy went, and he had the result and the money. The queue tells it is on its way.
     */
    @Test
    void aSendAgainPressedADayAfterTheResultWhileTheFirstStillWaitsSendsNoCopy() {
        pressedADayAfterTheResultWhileTheFirstStillWaits(false);
    }

    /**
     * As {@link #aSendAgainPressedADayAfterTheResultWhileTheFirstStillWaitsSendsNoCopy}, with a restart (a deploy)
     * twenty hours in: the new sender counts the day of deferrals from its own first try, so the first send waits
     * till nearly two days after the result, and a press at any time of that is a copy behind it.
     */
    @Test
    void aSendAgainPressedAfterARestartWhileTheFirstStillWaitsSendsNoCopy() {
        pressedADayAfterTheResultWhileTheFirstStillWaits(true);
    }

    /**
     * The fox's first send deferred by Telegram 23 hours, and again at its next try; «📤 Получить» pressed 25 hours
     * after the result, on the instance that then runs (a new one after a restart 20 hours in when {@code restart});
     * the first send given up: the job refunded, nothing of it sent, he told it is on its way.
     */
    private void pressedADayAfterTheResultWhileTheFirstStillWaits(boolean restart) {
        MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z"); // the outbox's clock: its waits, its day
        Job done = aFoxWhoseFirstSendTelegramDefers23Hours(pacing);

        later(pacing, Duration.ofHours(20));
        // a deploy: the new sender's memory of the deferral is new
        Shop shop = restart ? h.anotherInstance(s -> s, b -> b.pacingClock(pacing)) : h.shop;
        later(pacing, Duration.ofHours(3)); // its next try: deferred again
        h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofHours(23), "429: retry after 82800"));
        shop.sender().drain(10_000);
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();

        later(pacing, Duration.ofHours(2)); // a day and an hour after the result, the first send still waiting
        shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("q-x", "*|r|" + done.id().display(), Optional.of(1L))));
        shop.sender().drain(10_000);

        for (int i = 0; i < 3; i++) { // its tries till it is given up, a day after its first deferral
            later(pacing, Duration.ofHours(i == 0 ? 22 : 2));
            h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofHours(2), "429: retry after 7200"));
            shop.sender().drain(10_000);
        }

        assertThat(h.balance(U)).as("given up: refunded").isEqualTo(10_000);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("and never sent as well").isEmpty();
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains("Already sending it"))
                .anyMatch(t -> t.contains("returned to your balance"));
    }

    /**
     * A result missed while he had blocked the bot, sent again whole at his asking, that send deferred by Telegram as
     * the first one above: a second «📤» a day and an hour after the first press, that send still waiting, queued a
     * copy behind it (a whole re-send counted on its way a day from the press only); given up, the first refunded the
     * job, and the copy went. The queue tells it is on its way.
     */
    @Test
    void aSecondWholeSendPressedADayAfterTheFirstWhileItStillWaitsSendsNoCopy() {
        MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z");
        startedOn(pacing);
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        String resend = unblockedAndOfferedAgain(id);
        later(pacing, Duration.ofMinutes(1));
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING,
                new Delivery.Deferred(Duration.ofHours(23), "429: retry after 82800"));
        h.press(U, resend);
        later(pacing, Duration.ofHours(23)); // its next try: deferred again
        h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofHours(23), "429: retry after 82800"));
        h.deliver();
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();

        later(pacing, Duration.ofHours(2)); // a day and an hour after the first press
        h.shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("q-x", resend, Optional.of(1L))));
        h.deliver();
        for (int i = 0; i < 3; i++) { // its tries till it is given up, a day after its first deferral
            later(pacing, Duration.ofHours(i == 0 ? 22 : 2));
            h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofHours(2), "429: retry after 7200"));
            h.deliver();
        }

        assertThat(h.balance(U)).as("given up: refunded").isEqualTo(10_000);
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("and never sent as well").isEmpty();
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(id) && t.contains("Already sending"))
                .anyMatch(t -> t.contains("returned to your balance"));
    }

    /** Time passes, for the shop and the outbox alike. */
    private void later(MutableClock pacing, Duration d) {
        h.clock.advance(d);
        pacing.advance(d);
    }

    /** The job runs; then the user blocks the bot, and its result finishes and is dropped. */
    private Job finishedWhileBlocked(String url) {
        return finishedWhileBlocked(h.runningFoxImage(U), url);
    }

    /** {@code running}, submitted to the provider; then the user blocks the bot, and its result finishes and is dropped. */
    private Job finishedWhileBlocked(Job running, String url) {
        h.messenger.drain();
        h.messenger.thenAnswer(new Delivery.Blocked());
        h.provider.set(running.taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(List.of(url), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        Job done = h.stores.jobs().find(running.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("dropped with his queue").isEmpty();
        return done;
    }

    /**
     * A chat Telegram refuses (403) is one INFO of the reply sender's that says what became of its queue; the
     * messenger's own line, an INFO per reply and per broadcast recipient, is DEBUG.
     */
    @Test
    void aUserWhoBlockedTheBotIsOneLineSayingHisQueueIsDropped() {
        try (LoggedLines lines = LoggedLines.recording(ReplySender.class, java.util.logging.Level.INFO)) {
            finishedWhileBlocked("https://r/fox.png");
            assertThat(lines.lines()).filteredOn(l -> l.contains("unreachable")).singleElement().asString()
                    .startsWith("INFO chat " + dev.kiebot.core.conversation.Actor.mask(U) + " is unreachable (the user "
                            + "blocked the bot")
                    .contains("its queue dropped (", "the user marked as having blocked the bot until he writes again");
        }
    }

    @Test
    void aResultMadeWhileTheUserHadBlockedTheBotIsOfferedWhenHeComesBack() {
        Job done = finishedWhileBlocked("https://r/fox.png");
        long paid = h.balance(U);

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).startsWith("📬 While you were away, " + done.id().display())
                .contains("you had blocked the bot");
        String resend = ShopHarness.button(back, "📤 Send " + done.id().display() + " again");
        assertThat(back.get(0)).as("the welcome first, then the result").isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).startsWith("Welcome back"));
        assertThat(h.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/fox.png");
        assertThat(h.balance(U)).as("nothing charged again").isEqualTo(paid);

        // told once: blocked and back again, nothing new dropped, no list
        h.send(U, new Event.MembershipChanged(true));
        assertThat(ShopHarness.lastText(h.send(U, new Event.MembershipChanged(false)))).doesNotContain("📬");
    }

    /**
     * The list of results he never got is the only place their «📤» buttons are: «🏠 Меню» under it brings the menu
     * below (as under a job's notice, {@link JobNoticesStayTest}); pressed in place it erased the list and its buttons.
     */
    @Test
    void theMenuUnderTheListOfUnsentResultsComesBelowIt() {
        finishedWhileBlocked("https://r/fox.png");
        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        List<Reply> menu = h.press(U, ShopHarness.button(back, "Menu")).stream().filter(r -> r.chatId() == U).toList();
        assertThat(menu).as("nothing edited in the list's place").noneMatch(Reply.EditText.class::isInstance);
        assertThat(menu).anyMatch(r -> r instanceof Reply.SendText t && t.text().contains("Main menu"));
    }

    /**
     * «Перезапустить бота» sends the return and /start together, and he got two menus: «С возвращением» and the
     * /start's welcome. The return come first is answered with the menu and the results he never got, the /start
     * right after it with nothing; a /start typed later is answered again.
     */
    @Test
    void theReturnThenTheStartOfRestartTheBotGetOneMenuAndTheListOnce() {
        Job first = finishedWhileBlocked("https://r/a.png");
        List<Reply> back = h.send(U, new Event.MembershipChanged(false));
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).as("the welcome back, then the list").isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).startsWith("Welcome back"));
        assertThat(ShopHarness.lastText(back)).startsWith("📬").contains(first.id().display());
        assertThat(h.command(U, "start")).as("the welcome back answered it").isEmpty();
        h.clock.advance(Duration.ofMinutes(1));
        // he has a result: a /start greets him back by it (ConversationFlowTest), no newcomer's «Hi»
        assertThat(h.command(U, "start")).as("typed later").singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).startsWith("Welcome back"));
    }

    /**
     * The /start of «Перезапустить бота» come first brings him back: its menu, then the results he never got. The
     * return right after it gets nothing: a second menu was one too many, and the list was told.
     */
    @Test
    void theStartThenTheReturnOfRestartTheBotGetOneMenuAndTheListOnce() {
        Job dropped = finishedWhileBlocked("https://r/b.png");
        List<Reply> start = h.command(U, "start");
        assertThat(start).hasSize(2);
        assertThat(start.get(0)).as("the /start's menu, then the list").isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).startsWith("Welcome back"));
        assertThat(ShopHarness.lastText(start)).startsWith("📬").contains(dropped.id().display());
        assertThat(h.send(U, new Event.MembershipChanged(false))).as("no second menu, no second list").isEmpty();
    }

    /**
     * A /start that brings him back greeted him by his last result («Last generation: gen_… · …», its «📤 Send» under
     * it), and the list under that named the same result again as never sent. Named once now: by the list, which says
     * it never came, with its button. Told once, a later /start greets him by it again.
     */
    @Test
    void aStartThatBringsHimBackNamesTheLastResultHeNeverGotOnlyInTheList() {
        Job dropped = finishedWhileBlocked("https://r/c.png");
        String id = dropped.id().display();

        List<Reply> start = h.command(U, "start");

        assertThat(start).hasSize(2);
        assertThat(start.get(0)).as("the welcome back leaves it to the list").isInstanceOfSatisfying(
                Reply.SendText.class, t -> assertThat(t.text()).startsWith("Welcome back").doesNotContain(id));
        assertThat(ShopHarness.buttonTexts(start.subList(0, 1))).noneMatch(b -> b.contains(id));
        assertThat(ShopHarness.lastText(start)).startsWith("📬").contains(id);
        assertThat(ShopHarness.buttonTexts(start.subList(1, 2))).contains("📤 Send " + id + " again");

        h.clock.advance(Duration.ofMinutes(1));
        List<Reply> later = h.command(U, "start");
        assertThat(ShopHarness.lastText(later)).as("told once: his last result again").contains(id);
        assertThat(ShopHarness.buttonTexts(later)).contains("📤 Send " + id + " again");
    }

    /** A result that reached him before he blocked the bot is not offered again. */
    @Test
    void aResultHeGotBeforeBlockingTheBotIsNotListed() {
        Job got = h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://r/a.png"),
                MediaKind.PHOTO)));
        assertThat(h.stores.jobs().deliveredFileIds(got.id())).isNotEmpty();
        Job dropped = finishedWhileBlocked("https://r/b.png");

        String told = ShopHarness.lastText(h.send(U, new Event.MembershipChanged(false)));

        assertThat(told).contains(dropped.id().display()).doesNotContain(got.id().display());
    }

    /**
     * A result that went as its link (too large for Telegram, or an upload Telegram refused) reached him: it keeps no
     * Telegram file id, and was listed again as unsent when a later send found him blocked.
     */
    @Test
    void aResultHeGotAsItsLinkBeforeBlockingTheBotIsNotListed() {
        Job tooLarge = linkedFoxImage("https://r/large.png", new Delivery.Sent(Optional.of(7L), List.of()));
        Job refused = linkedFoxImage("https://r/refused.png", new Delivery.Failed("refused"),
                new Delivery.Sent(Optional.of(8L), List.of()));
        Job dropped = finishedWhileBlocked("https://r/b.png");

        String told = ShopHarness.lastText(h.send(U, new Event.MembershipChanged(false)));

        assertThat(told).contains(dropped.id().display()).doesNotContain(tooLarge.id().display())
                .doesNotContain(refused.id().display());
        assertThat(h.press(U, "*|r|" + refused.id().display())).as("sent again by its URL, as before")
                .filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/refused.png");
    }

    /** A fox image whose result the messenger answers with {@code media} (after the chat action). */
    private Job linkedFoxImage(String url, Delivery... media) {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        Delivery[] answers = new Delivery[media.length + 1];
        answers[0] = new Delivery.Sent(Optional.empty(), List.of()); // «uploading a photo…»
        System.arraycopy(media, 0, answers, 1, media.length);
        h.messenger.thenAnswer(answers);
        h.provider.set(running.taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(List.of(url), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.messenger.drain();
        return h.stores.jobs().find(running.id()).orElseThrow();
    }

    /**
     * «📤 Send … again» after the provider dropped the file (a day at worst): he paid and never got it, so the job is
     * refunded, once (the transfer an admin's /refund makes, keyed by the hold: a second press and a /refund after it
     * move nothing more), and he is told why. The admins hear nothing to claim from the provider: it kept the file its
     * day. Before, he was told the file was gone and kept paying for it.
     */
    @Test
    void aResultGoneAtTheProviderByTheTimeHeAsksForItIsRefundedOnce() {
        h.command(ShopHarness.ADMIN, "start");
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        h.clock.advance(Duration.ofHours(30));

        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        List<Reply> gone = h.press(U, resend);

        assertThat(ShopHarness.lastTextTo(gone, U)).contains(id, "the AI service no longer has it",
                "returned to your balance");
        assertThat(h.balance(U)).isEqualTo(paid + done.price());
        assertThat(gone).as("nothing for the admins to claim").noneMatch(r -> r.chatId() == ShopHarness.ADMIN);

        List<Reply> again = h.press(U, resend);
        assertThat(again).as("pressed again: refused, nothing sent").noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(again, U)).contains(id, "already got everything back");
        assertThat(ShopHarness.lastTextTo(h.adminConfirmed("refund", id), ShopHarness.ADMIN)).contains("already refunded");
        assertThat(h.balance(U)).as("refunded once").isEqualTo(paid + done.price());
    }

    /**
     * The same with the retention of personal texts ({@code PERSONAL_DATA_DAYS} of a day) run before his return: a
     * result noted not sent keeps its URL, so «📤» sends it, finds its file gone and refunds it. Blanked, it was
     * answered as erased: paid, never got, never refunded.
     */
    @Test
    void aResultHeNeverGotIsStillRefundedAfterTheRetentionOfPersonalTexts() {
        h.command(ShopHarness.ADMIN, "start");
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        h.clock.advance(Duration.ofHours(30));
        h.stores.transactions().inOne(() -> h.stores.personalData().forgetOlder(
                h.clock.instant().minus(Duration.ofDays(1)), 500));

        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        List<Reply> gone = h.press(U, resend);

        assertThat(ShopHarness.lastTextTo(gone, U)).contains(id, "returned to your balance");
        assertThat(h.balance(U)).as("paid, never got it, refunded").isEqualTo(paid + done.price());
    }

    /**
     * A result he never got whose links were erased here before he asked (/forget; the retention of a build that
     * blanked such a result): «📤» refunds it as a file gone, once, where it answered «erased» and kept his money.
     */
    @Test
    void aResultHeNeverGotWhoseLinksWereErasedIsRefundedWhenHeAsks() {
        h.command(ShopHarness.ADMIN, "start");
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        List<Reply> asked = h.press(U, resend);

        assertThat(asked).as("nothing to send").noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(asked, U)).contains(id, "returned to your balance");
        assertThat(h.balance(U)).as("paid, never got it, refunded").isEqualTo(paid + done.price());
        h.press(U, resend);
        assertThat(h.balance(U)).as("refunded once").isEqualTo(paid + done.price());
    }

    /**
     * A free generation's file gone at the provider when he asks for it: his free use comes back (as said then), and
     * «📤» / «📎 As a file» pressed after it say so, not «💸 You have already got everything back», a refund of money
     * he never paid.
     */
    @Test
    void aFreeResultGoneAtTheProviderSpeaksOfTheFreeUseNeverOfMoney() {
        User user = h.stores.users().find(U).orElseThrow();
        Job started = ((Generations.Start.Started) h.shop.generations().start(user, U, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "fox"), Map.of(), 0, true))).job();
        h.work(10);
        Job done = finishedWhileBlocked(h.stores.jobs().find(started.id()).orElseThrow(), "https://r/free-fox.png");
        assertThat(done.free()).isTrue();
        String id = done.id().display();
        long balance = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        h.clock.advance(Duration.ofHours(2)); // the same day: the use given back is one he can take today

        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        List<Reply> gone = h.press(U, resend);
        assertThat(ShopHarness.lastTextTo(gone, U)).contains(id, "the AI service no longer has it",
                "Your free generation was returned").doesNotContain("balance", "₽");
        assertThat(h.stores.freeUsage().used(U, LocalDate.of(2026, 11, 21))).isZero();

        List<Reply> again = h.press(U, resend);
        List<Reply> asFile = h.press(U, "*|O|" + id);
        for (List<Reply> pressed : List.of(again, asFile)) {
            assertThat(pressed).noneMatch(Reply.SendMedia.class::isInstance);
            assertThat(ShopHarness.lastTextTo(pressed, U)).contains(id, "no longer counts toward your free ones")
                    .doesNotContain("got everything back", "💸", "balance", "₽");
        }
        assertThat(h.balance(U)).as("no money moved").isEqualTo(balance);
    }

    /** A job of {@code urls} whose files the messenger answers with {@code media} (after the chat action). */
    private Job foxImages(List<String> urls, Delivery... media) {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        Delivery[] answers = new Delivery[media.length + 1];
        answers[0] = UPLOADING;
        System.arraycopy(media, 0, answers, 1, media.length);
        h.messenger.thenAnswer(answers);
        h.provider.set(running.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.messenger.drain();
        Job done = h.stores.jobs().find(running.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DELIVERED);
        return done;
    }

    /** Three files: the first's send went unanswered, the second came (F2), the bot was blocked at the third. */
    private Job threeFilesBlockedAtTheThird() {
        return foxImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Uncertain("read timed out"), new Delivery.Sent(Optional.of(9L), List.of("F2")),
                new Delivery.Blocked());
    }

    /**
     * A result whose send may or may not have reached him (the connection dropped after the request left) kept
     * nothing, so a later block listed it as never sent, and a file Kie had dropped by his return was refunded
     * although it may well be in his chat. Now it is listed as one that may not have arrived, sent again on his
     * asking, and its gone file is told without a refund: an admin's /refund is still there for him.
     */
    @Test
    void aResultWhoseSendMayHaveArrivedIsListedAsSuchAndNeverRefundedByItself() {
        h.command(ShopHarness.ADMIN, "start");
        Job maybe = foxImages(List.of("https://r/maybe.png"), new Delivery.Uncertain("read timed out"));
        assertThat(h.stores.jobs().deliveredFileIds(maybe.id())).isEmpty();
        Job dropped = finishedWhileBlocked("https://r/b.png");
        String id = maybe.id().display();
        long paid = h.balance(U);

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).contains(id + " · ", "may not have arrived",
                dropped.id().display());
        String resend = ShopHarness.button(back, "📤 Send " + id + " again");
        h.clock.advance(Duration.ofHours(30));
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        List<Reply> gone = h.press(U, resend);

        assertThat(ShopHarness.lastTextTo(gone, U)).contains(id, "the AI service no longer has it",
                "may have", "/paysupport").doesNotContain("returned to your balance");
        assertThat(h.balance(U)).as("not refunded by itself").isEqualTo(paid);
        h.adminConfirmed("refund", id);
        assertThat(h.balance(U)).as("an admin's /refund still gives it back").isEqualTo(paid + maybe.price());
    }

    /**
     * A job of several results, some sent before he blocked the bot, kept their file ids and so was not listed at
     * all: the others were lost. Now it is listed with how many did not come, and the button sends only those; once
     * sent, a press sends the whole job by its file ids, as for any result.
     */
    @Test
    void aJobPartlySentBeforeTheBlockIsListedAndOnlyItsMissingResultsAreSent() {
        Job part = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
        String id = part.id().display();
        long paid = h.balance(U);

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).contains(id, "1\u00a0file of 2 missing");
        String resend = ShopHarness.button(back, "📤 Send " + id + " again");
        assertThat(h.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("only the one he never got").containsExactly("https://r/b.png");
        assertThat(h.stores.jobs().deliveredFileIds(part.id())).hasSize(2);
        assertThat(h.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("then both, by their file ids").hasSize(2)
                .contains("F1").doesNotContain("https://r/a.png", "https://r/b.png");
        assertThat(h.balance(U)).isEqualTo(paid);
    }

    /**
     * A job's missing files sent again, and the bot blocked again during that send: noted are the files of that send
     * that did not come, not the job's others. The files before the refused one were numbered as missing whenever
     * an earlier send of one of them may not have arrived, so the next «📤 Send … again» sent him a file he had.
     */
    @Test
    void aJobSentAgainAndBlockedAgainIsNotedMissingOnlyWhatThatSendDidNotDeliver() {
        Job part = threeFilesBlockedAtTheThird();
        String id = part.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Sent(Optional.of(10L), List.of("F1")),
                new Delivery.Blocked());
        h.press(U, resend);
        assertThat(h.stores.jobs().deliveredFileIds(part.id())).as("the first came this time").contains("F1");
        h.messenger.drain();

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).contains(id, "1\u00a0file of 3 missing");
        assertThat(h.press(U, ShopHarness.button(back, "📤 Send " + id + " again")))
                .filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("not the first again, nor the second he had")
                .containsExactly("https://r/c.png");
    }

    /**
     * Two jobs he got in part, both «📤 Send … again» pressed before their files went: the first one's file is refused
     * as blocked, and the second one's, queued behind it, dropped with the queue. That one was not noted (it keeps the
     * file ids of what he had, and its re-send was marked): not listed at his return, and its next press sent only
     * what he had, the missing file lost. Now both are listed, and each press sends the file that did not come.
     */
    @Test
    void aJobsFilesSentAgainBehindAnotherJobsRefusedFileAreNotedNotLost() {
        Job first = foxImages(List.of("https://r/a1.png", "https://r/a2.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        String pressFirst = ShopHarness.button(h.send(U, new Event.MembershipChanged(false)),
                "📤 Send " + first.id().display() + " again");
        Job second = foxImages(List.of("https://r/b1.png", "https://r/b2.png"),
                new Delivery.Sent(Optional.of(10L), List.of("F3")), new Delivery.Blocked());
        String pressSecond = ShopHarness.button(h.send(U, new Event.MembershipChanged(false)),
                "📤 Send " + second.id().display() + " again");
        h.messenger.drain();
        // both pressed before the sender takes their replies (a press is answered at once)
        h.shop.storefront().serve(new Incoming(9001, ShopHarness.actor(U, "en"),
                new Event.Callback("qa", pressFirst, Optional.of(1L))));
        h.shop.storefront().serve(new Incoming(9002, ShopHarness.actor(U, "en"),
                new Event.Callback("qb", pressSecond, Optional.of(1L))));
        h.messenger.thenAnswer(UPLOADING, new Delivery.Blocked());
        h.deliver();
        assertThat(h.messenger.drain()).as("the first's file refused, the second's dropped with the queue")
                .noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).contains(first.id().display(), second.id().display());
        assertThat(h.press(U, ShopHarness.button(back, "📤 Send " + second.id().display() + " again")))
                .filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("the file he never got").containsExactly("https://r/b2.png");
    }

    /**
     * A job of three files that reached him out of order: the second at first, the first and third at his «📤» after
     * the block. A history re-send whose file ids Telegram all refuses sends each file by its own URL. The ids were
     * kept without their URLs and paired with the result's in order, so he asked for the second picture and got the
     * first (and the first as the second).
     */
    @Test
    void aHistoryResendOfFilesThatCameOutOfOrderSendsEachRefusedOneByItsOwnUrl() {
        Job part = threeFilesBlockedAtTheThird();
        String id = part.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Sent(Optional.of(10L), List.of("F1")),
                new Delivery.Sent(Optional.of(11L), List.of("F3")));
        h.press(U, resend);
        h.messenger.drain();
        assertThat(h.stores.jobs().deliveredFileIds(part.id())).as("the second came first")
                .containsExactly("F2", "F1", "F3");
        Delivery refused = new Delivery.Failed("Bad Request: wrong file identifier/HTTP URL specified");
        h.messenger.thenAnswer(PRESS_ANSWERED, refused, refused, refused);

        List<Reply> resent = h.press(U, "*|r|" + id);

        assertThat(resent).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("each refused id's own file, by its URL")
                .containsExactly("https://r/b.png", "https://r/a.png", "https://r/c.png");
    }

    /**
     * File ids the build before kept without their URLs (both builds serve one database during a deploy) are paired
     * with the result's URLs by order, as that build paired them: of two files that came in order, the refused second
     * goes by the second's URL.
     */
    @Test
    void aHistoryResendOfFilesKeptWithoutTheirUrlsPairsThemByOrder() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b, clock -> {
                    Stores s = InMemoryStores.create(clock);
                    return s.withJobs(new dev.kiebot.core.jobs.ForwardingJobs(s.jobs()) {
                        @Override
                        public void addDeliveredFiles(dev.kiebot.core.jobs.JobId id,
                                List<dev.kiebot.core.jobs.DeliveredFile> files) {
                            real.addDeliveredFiles(id, files.stream()
                                    .map(f -> new dev.kiebot.core.jobs.DeliveredFile(f.source(), Optional.empty()))
                                    .toList());
                        }
                    });
                });
        h.command(U, "start");
        h.topUp(U, 10_000);
        Job done = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Sent(Optional.of(10L), List.of("F2")));
        h.messenger.thenAnswer(PRESS_ANSWERED, new Delivery.Sent(Optional.of(11L), List.of()),
                new Delivery.Failed("Bad Request: wrong file identifier/HTTP URL specified"));

        List<Reply> resent = h.press(U, "*|r|" + done.id().display());

        assertThat(resent).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("the second, not the first again")
                .containsExactly("https://r/b.png");
    }

    /** Blocked again at the first file of that send: the second, which he had, is not noted missing with them. */
    @Test
    void aJobSentAgainAndBlockedAtItsFirstFileIsNotNotedMissingTheFileHeHad() {
        Job part = threeFilesBlockedAtTheThird();
        String id = part.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Blocked());
        h.press(U, resend);
        h.messenger.drain();

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).contains(id, "1\u00a0file of 3 missing");
        assertThat(h.press(U, ShopHarness.button(back, "📤 Send " + id + " again")))
                .filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("not the second, which he had")
                .containsExactly("https://r/a.png", "https://r/c.png");
    }

    /**
     * The missing result of a job partly sent is gone at the provider by his return: he has the rest, and the ledger
     * refunds a job once and whole, so nothing moves by itself; he is told so and pointed to support.
     */
    @Test
    void aGoneResultOfAJobPartlySentIsNotRefundedByItself() {
        Job part = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        String id = part.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        h.clock.advance(Duration.ofHours(30));

        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        List<Reply> gone = h.press(U, resend);

        assertThat(ShopHarness.lastTextTo(gone, U)).contains(id, "the AI service no longer has it",
                "Some of this generation has reached you").doesNotContain("returned to your balance");
        assertThat(h.balance(U)).isEqualTo(paid);
    }

    /**
     * As {@link #aGoneResultOfAJobPartlySentIsNotRefundedByItself}, with /forget between his press and that send: the
     * file ids of the one he got are erased with the rest, and so are the job's links; the note that the job was
     * partly dropped is what still says some of it reached him. Read without it, the gone file refunded the job whole.
     */
    @Test
    void aGoneResultOfAJobPartlySentIsNotRefundedWhenForgetErasedWhatHeGot() {
        MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z");
        startedOn(pacing);
        Job part = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        String id = part.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        later(pacing, Duration.ofHours(30));
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING,
                new Delivery.Deferred(Duration.ofHours(1), "429: retry after 3600"));
        h.press(U, resend);
        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));
        assertThat(h.stores.jobs().deliveredFileIds(part.id())).as("what he got, forgotten").isEmpty();

        later(pacing, Duration.ofHours(1));
        h.messenger.thenAnswer(new Delivery.Gone("HTTP 404"));
        h.deliver();

        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(id) && t.contains("the AI service no longer has it"))
                .noneMatch(t -> t.contains("returned to your balance"));
        assertThat(h.balance(U)).as("he has file 1 of 2: nothing moves by itself").isEqualTo(paid);
        assertThat(h.stores.ledger().find(dev.kiebot.core.ledger.Ledger.refundId(part.holdId()))).isEmpty();
    }

    /**
     * A result he never got, sent again whole at his asking, that send deferred by Telegram; /forget meanwhile erases
     * its links, and he presses «📤» again: it is on its way, not refunded as erased (its send still waits, and went
     * after the refund: the file and the money). Its end decides, as for any second whole send.
     */
    @Test
    void aSecondPressAfterForgetWhileTheWholeSendStillWaitsRefundsNothing() {
        MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z");
        startedOn(pacing);
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        later(pacing, Duration.ofMinutes(1));
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING,
                new Delivery.Deferred(Duration.ofHours(1), "429: retry after 3600"));
        h.press(U, resend);
        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        later(pacing, Duration.ofMinutes(10));
        h.shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("q-x", resend, Optional.of(1L))));
        h.deliver();
        assertThat(h.balance(U)).as("on its way: nothing given back").isEqualTo(paid);
        later(pacing, Duration.ofHours(1));
        h.deliver();

        assertThat(h.messenger.of(Reply.SendMedia.class)).as("the first send went").hasSize(1);
        assertThat(h.balance(U)).as("he has it, and paid for it once").isEqualTo(paid);
        assertThat(h.stores.ledger().find(dev.kiebot.core.ledger.Ledger.refundId(done.holdId()))).isEmpty();
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(id) && t.contains("Already sending"))
                .noneMatch(t -> t.contains("returned to your balance"));
    }

    /**
     * A result he never got, sent again whole at his asking, came; then /forget erased its links and its file id, and
     * he pressed «📤» again: the note of it dropped whole was still the job's latest, nothing kept said he had it,
     * and it was refunded as a result never got whose links were erased. He had the file and the money.
     */
    @Test
    void aResultSentAgainWholeThatCameIsNotRefundedWhenAskedForAfterForget() {
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        assertThat(h.press(U, resend)).as("it came").filteredOn(Reply.SendMedia.class::isInstance).hasSize(1);
        h.stores.transactions().inOne(() -> h.stores.personalData().forget(U));

        List<Reply> asked = h.press(U, resend);

        assertThat(asked).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(asked, U)).contains("erased at your request")
                .doesNotContain("returned to your balance");
        assertThat(h.balance(U)).as("he has it, and paid for it").isEqualTo(paid);
        assertThat(h.stores.ledger().find(dev.kiebot.core.ledger.Ledger.refundId(done.holdId()))).isEmpty();
    }

    /**
     * «📎 As a file» (its data sent by hand: the list has no such button, and Telegram does not check a callback's data
     * against the message's buttons) of a result he never got sent the documents by their URLs, which keep nothing:
     * the job still looked never sent, and a «📤 Send … again» after the provider dropped the file refunded a result he
     * had as a file. Now the result goes first, as the result it is, its file id kept.
     */
    @Test
    void aResultHeNeverGotAskedForAsAFileGoesAsTheResultAndIsNotRefundedOnceHeHasIt() {
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        String resend = unblockedAndOfferedAgain(id);
        long paid = h.balance(U);

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(asFile).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .singleElement().satisfies(m -> assertThat(m.kind()).isEqualTo(MediaKind.PHOTO));
        assertThat(h.stores.jobs().deliveredFileIds(done.id())).hasSize(1);
        h.clock.advance(Duration.ofHours(30));
        h.messenger.thenAnswer(PRESS_ANSWERED, new Delivery.Gone("HTTP 404"));
        h.press(U, resend);
        assertThat(h.balance(U)).as("he has it: nothing given back").isEqualTo(paid);
    }

    /**
     * A result refunded because its file was gone is not sent after it: a press a moment later whose fetch worked (a
     * passing 404) gave him the file and the money. Nor does «📎 As a file» send it.
     */
    @Test
    void aResultRefundedForItsGoneFileIsNotSentAfterIt() {
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        h.press(U, resend);
        long refunded = h.balance(U);

        List<Reply> again = h.press(U, resend);
        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(again).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(again, U)).contains(id, "already got everything back");
        assertThat(asFile).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(h.balance(U)).isEqualTo(refunded);
    }

    /**
     * An admin's goodwill /refund of a result he got at his «📤 Send … again»: his next press sends it again by its file
     * id, as for any result. It was refused as «refunded already»: a whole re-send marks nothing, so its note stayed
     * the job's latest and the refund read as one for a result he never got.
     */
    @Test
    void aResultSentAgainAndThenRefundedByAnAdminIsStillSentByItsFileId() {
        h.command(ShopHarness.ADMIN, "start");
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.press(U, resend);
        assertThat(h.stores.jobs().deliveredFileIds(done.id())).hasSize(1);
        long paid = h.balance(U);
        h.adminConfirmed("refund", id);
        assertThat(h.balance(U)).as("the goodwill refund").isEqualTo(paid + done.price());

        List<Reply> again = h.press(U, resend);

        assertThat(again).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("by its file id").hasSize(1)
                .doesNotContain("https://r/fox.png");
        assertThat(again).as("no «refunded already»").noneMatch(Reply.SendText.class::isInstance);
        assertThat(h.balance(U)).isEqualTo(paid + done.price());
    }

    /**
     * A job he got in part, refunded by an admin before its missing file went: a press sends what he has, by its file
     * id, and never the file he did not get (he would have it and the money). It was refused whole.
     */
    @Test
    void aJobPartlySentAndRefundedByAnAdminSendsOnlyWhatHeHas() {
        h.command(ShopHarness.ADMIN, "start");
        Job part = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        String id = part.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.adminConfirmed("refund", id);
        long refunded = h.balance(U);

        List<Reply> pressed = h.press(U, resend);

        assertThat(pressed).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("F1");
        assertThat(h.balance(U)).isEqualTo(refunded);
    }

    /** A job of {@code urls} delivered with the messenger answering {@code media}: what the user got, kept. */
    private Job deliveredImages(List<String> urls, Delivery... media) {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        Delivery[] answers = new Delivery[media.length + 1];
        answers[0] = UPLOADING;
        System.arraycopy(media, 0, answers, 1, media.length);
        h.messenger.thenAnswer(answers);
        h.provider.set(running.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        return h.stores.jobs().find(running.id()).orElseThrow();
    }

    /**
     * At its first delivery, the second of a job's two files is gone at the provider: he has the first, and the ledger
     * refunds a job once and whole, so nothing moves by itself; he is told which one is missing and pointed to
     * support. It was refunded whole.
     */
    @Test
    void aJobOneOfWhoseFilesIsGoneAtItsDeliveryIsNotRefundedForTheOthersHeGot() {
        long before = h.balance(U);
        Job part = deliveredImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Gone("HTTP 404"));

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains(part.id().display(), "File 2 of 2", "/paysupport").doesNotContain("balance");
        assertThat(h.balance(U)).isEqualTo(before - part.price());
    }

    /**
     * The first of two files is gone, the second comes: the job was refunded at the first, before the second was
     * tried. Now the first is told gone with the rest to follow, and nothing moves.
     */
    @Test
    void aJobWhoseFirstFileIsGoneIsNotRefundedBeforeItsOthersAreTried() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Gone("HTTP 404"));

        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly("https://r/b.png");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains(job.id().display(), "File 1 of 2", "I will send the other files next");
        assertThat(h.balance(U)).isEqualTo(before - job.price());
    }

    /** All of a job's files gone: refunded once, at the last. */
    @Test
    void aJobAllOfWhoseFilesAreGoneIsRefundedOnce() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Gone("HTTP 404"),
                new Delivery.Gone("HTTP 404"));

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).hasSize(2).last().asString()
                .contains(job.id().display(), "File 2 of 2", "returned to your balance");
        assertThat(h.balance(U)).isEqualTo(before);
    }

    /**
     * Three files, the first two gone at the provider (or the first not sent, the second gone), the third comes: he is
     * told once that the others follow. A second gone file said it again, as a file not sent no longer does.
     */
    @Test
    void aJobTwoOfWhoseFilesAreGoneBeforeTheLastTellsTheOthersFollowOnce() {
        List<String> urls = List.of("https://r/a.png", "https://r/b.png", "https://r/c.png");
        Job gone = deliveredImages(urls, new Delivery.Gone("HTTP 404"), new Delivery.Gone("HTTP 404"),
                new Delivery.Sent(Optional.of(9L), List.of("F3")));

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("I will send the other files next"))
                .singleElement().asString().contains(gone.id().display(), "File 1 of 3", "no longer has it");
        assertThat(h.stores.jobs().deliveredFileIds(gone.id())).containsExactly("F3");

        h.messenger.drain();
        Job notSent = deliveredImages(urls, new Delivery.Failed("refused"), new Delivery.Failed("refused"),
                new Delivery.Gone("HTTP 404"), new Delivery.Sent(Optional.of(10L), List.of("F3")));

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("I will send the other files next"))
                .singleElement().asString().contains(notSent.id().display(), "File 1 of 3", "could not be sent");
    }

    /**
     * The first of two files gone, he is told the others follow and, should none arrive, the job comes back by itself;
     * the second then fails, its upload and its link refused: nothing came and nothing gave it back. Now it is given
     * back at that last file, once, and he is told; a re-send after it sends nothing (he would have both).
     */
    @Test
    void aJobWhoseFirstFileIsGoneAndWhoseLastFailsIsGivenBackAsPromised() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Gone("HTTP 404"),
                new Delivery.Failed("refused"), new Delivery.Failed("refused"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 1 of 2")).singleElement().asString()
                .contains("I will send the other files next");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 2")).singleElement().asString()
                .contains(id, "could not be sent either", "returned to your balance");
        assertThat(h.balance(U)).isEqualTo(before);
        assertThat(h.stores.jobs().deliveredFileIds(job.id())).isEmpty();
        assertThat(refundLines(id)).as("audited as not sent, not as a result gone at the provider")
                .containsExactly(Generations.RESULT_NOT_SENT + " " + id + " Created");

        List<Reply> again = h.press(U, "*|r|" + id);
        assertThat(again).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(again, U)).contains("got everything back for this generation");
        assertThat(ShopHarness.lastTextTo(h.adminConfirmed("refund", id), ShopHarness.ADMIN)).contains("already refunded");
        assertThat(h.balance(U)).as("once").isEqualTo(before);
    }

    /**
     * The last file after a gone one may or may not have arrived: not given back by itself (it may be in his chat),
     * but he is told so and pointed to support, not left waiting for a refund that the first notice promised.
     */
    @Test
    void aJobWhoseFirstFileIsGoneAndWhoseLastMayNotHaveArrivedIsToldSo() {
        h.command(ShopHarness.ADMIN, "start");
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Gone("HTTP 404"),
                new Delivery.Uncertain("read timed out"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 2")).singleElement().asString()
                .contains(id, "may not have arrived", "/paysupport").doesNotContain("balance");
        assertThat(h.balance(U)).isEqualTo(before - job.price());
        h.adminConfirmed("refund", id);
        assertThat(h.balance(U)).as("an admin's /refund remains").isEqualTo(before);
    }

    /**
     * Three files: the first gone (he is promised the generation back should none of the others arrive), the second
     * may have arrived, the third fails. Nothing goes back by itself (the second may be in his chat), but he is told of
     * the third and pointed to support: both were silent, and the promised refund never came.
     */
    @Test
    void aJobWhoseMiddleFileMayHaveArrivedAndWhoseLastFailsIsToldNotGivenBack() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Gone("HTTP 404"), new Delivery.Uncertain("read timed out"), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 3 of 3")).singleElement().asString()
                .contains(id, "could not be sent", "/paysupport");
        assertThat(h.balance(U)).as("not given back by itself").isEqualTo(before - job.price());
    }

    /**
     * A free job of {@code urls} (img/m1, in the free tier) delivered with the messenger answering {@code media}: what
     * the user got, kept. No such model of kiebot's catalog returns several files today; a partner's may.
     */
    private Job deliveredFreeImages(List<String> urls, Delivery... media) {
        Job free = ((Generations.Start.Started) h.shop.generations().start(h.stores.users().find(U).orElseThrow(), U,
                new Effect.StartJob("img/m1", "default", Map.of("prompt", "fox"), Map.of(), 0, true))).job();
        h.work(10);
        h.messenger.drain();
        Delivery[] answers = new Delivery[media.length + 1];
        answers[0] = UPLOADING;
        System.arraycopy(media, 0, answers, 1, media.length);
        h.messenger.thenAnswer(answers);
        h.provider.set(h.stores.jobs().find(free.id()).orElseThrow().taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        Job done = h.stores.jobs().find(free.id()).orElseThrow();
        assertThat(done.free()).isTrue();
        return done;
    }

    /**
     * A free job's first of two files gone, the second to follow: he is told his free use does not count should none
     * arrive. He was told that everything charged for it would come back, of money never taken.
     */
    @Test
    void aFreeJobWhoseFirstFileIsGoneIsToldOfItsFreeUseNotOfMoney() {
        long before = h.balance(U);
        Job job = deliveredFreeImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Gone("HTTP 404"));

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains(job.id().display(), "File 1 of 2", "I will send the other files next",
                        "will not count toward your free ones").doesNotContain("comes back", "charged");
        assertThat(h.balance(U)).isEqualTo(before);
        assertThat(h.stores.freeUsage().used(U, LocalDate.of(2026, 11, 21))).as("the second came").isEqualTo(1);
    }

    /**
     * A free job's second file gone after the first came: he is told it counts toward his free ones. He was told the
     * money for it would not come back by itself, of money never taken.
     */
    @Test
    void aFreeJobWhoseLastFileIsGoneAfterOneCameIsToldItCountsAsFreeNotOfMoney() {
        Job job = deliveredFreeImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Gone("HTTP 404"));

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains(job.id().display(), "File 2 of 2", "so it counts toward your free ones", "/paysupport")
                .doesNotContain("given back automatically", "charged");
        assertThat(h.stores.freeUsage().used(U, LocalDate.of(2026, 11, 21))).isEqualTo(1);
    }

    /**
     * A free job: its first file not taken (he is told it does not count should none arrive), its second may have
     * arrived: the promise is said to lapse in words of his free use. It said the money would not come back.
     */
    @Test
    void aFreeJobsPromiseIsSaidToLapseInWordsOfItsFreeUse() {
        Job job = deliveredFreeImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Failed("refused"), new Delivery.Failed("refused"), new Delivery.Uncertain("read timed out"),
                new Delivery.Sent(Optional.of(9L), List.of("F3")));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 1 of 3")).singleElement().asString()
                .contains("I will send the other files next", "will not count toward your free ones")
                .doesNotContain("comes back");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 3")).singleElement().asString()
                .contains(id, "may not have arrived", "the generation counts toward your free ones after all")
                .doesNotContain("money");
    }

    /** What his «📎 As a file» of the job sends: the originals' sources, in order. */
    private List<String> asFileSources(String id) {
        return h.press(U, "*|O|" + id).stream().filter(Reply.SendMedia.class::isInstance)
                .map(Reply.SendMedia.class::cast).map(Reply.SendMedia::source).toList();
    }

    /** The job's audit lines that say it was given back: a gone result's or a result not sent's. */
    private List<String> refundLines(String id) {
        return h.stores.audit().byCorrelation(id).stream()
                .filter(e -> e.action().equals("gen.result_gone") || e.action().equals(Generations.RESULT_NOT_SENT))
                .filter(e -> e.detail().endsWith(" Created") || e.detail().endsWith(" free use given back"))
                .map(e -> e.action() + " " + e.detail()).toList();
    }

    /**
     * A job of one file whose upload and link are both refused: nothing reached him. It ended in silence, charged;
     * now he is told and given it back, once, audited as a result not sent (not as one gone at the provider), and a
     * re-send after it sends nothing (he would have both).
     */
    @Test
    void aJobOfOneFileWhoseUploadAndLinkAreRefusedIsToldAndGivenBackOnce() {
        h.command(ShopHarness.ADMIN, "start");
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png"), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("could not be sent")).singleElement().asString()
                .contains(id, "The result could not be sent", "returned to your balance");
        assertThat(h.balance(U)).isEqualTo(before);
        assertThat(refundLines(id)).containsExactly(Generations.RESULT_NOT_SENT + " " + id + " Created");

        List<Reply> again = h.press(U, "*|r|" + id);
        assertThat(again).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(again, U)).contains("got everything back for this generation");
        List<Reply> asFile = h.press(U, "*|O|" + id);
        assertThat(asFile).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(ShopHarness.lastTextTo(h.adminConfirmed("refund", id), ShopHarness.ADMIN)).contains("already refunded");
        assertThat(h.balance(U)).as("once").isEqualTo(before);
    }

    /**
     * A job of one file given back because neither it nor its link was taken, then another job's result finding him
     * blocked: at his return only that other one is listed. The first, nothing kept of it, was noted as missed and
     * listed with a button that could only answer that everything was given back.
     */
    @Test
    void aJobGivenBackBeforeABlockIsNotListedAtHisReturn() {
        Job refunded = deliveredImages(List.of("https://r/a.png"), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));
        h.messenger.drain();
        Job missed = finishedWhileBlocked("https://r/fox.png");

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).contains(missed.id().display())
                .doesNotContain(refunded.id().display());
    }

    /**
     * A job of one file whose upload is refused and whose link may have arrived: not given back by itself (it may be
     * in his chat), but he is told so and pointed to support. It was silent.
     */
    @Test
    void aJobOfOneFileWhoseLinkMayHaveArrivedIsToldSoNotGivenBack() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png"), new Delivery.Failed("refused"),
                new Delivery.Uncertain("read timed out"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("may not have arrived")).singleElement()
                .asString().contains(id, "The result may not have arrived", "/paysupport").doesNotContain("balance");
        assertThat(h.balance(U)).isEqualTo(before - job.price());
        assertThat(refundLines(id)).isEmpty();
    }

    /**
     * A job of one file neither taken nor given back now (the ledger found its refund's id used: refunded before, or
     * refused; RECONCILE logged): he gets a next step, /paysupport with the job's id, not a bare «could not be sent».
     */
    @Test
    void aJobOfOneFileNotSentWhoseRefundMovesNothingPointsHimToSupport() {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        // the id the job's refund is made under, taken already: the refund moves nothing now
        h.stores.ledger().transfer("refund:" + running.holdId(), dev.kiebot.core.ledger.AccountId.REVENUE,
                dev.kiebot.core.ledger.AccountId.wallet(U), 1, dev.kiebot.core.ledger.TransferKind.REFUND);
        h.messenger.thenAnswer(UPLOADING, new Delivery.Failed("refused"), new Delivery.Failed("refused"));
        h.provider.set(running.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(List.of("https://r/a.png"),
                MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        String id = running.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("could not be sent")).singleElement().asString()
                .contains(id, "The result could not be sent", "/paysupport").doesNotContain("returned to your balance");
    }

    /**
     * Three files: the first not taken (he is promised the job back should none arrive), the second may have arrived:
     * he is told the promise no longer holds, not left to wait for a refund that cannot come by itself.
     */
    @Test
    void aPromiseOfTheJobBackIsSaidToLapseWhenALaterFileMayHaveArrived() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Failed("refused"), new Delivery.Failed("refused"), new Delivery.Uncertain("read timed out"),
                new Delivery.Sent(Optional.of(9L), List.of("F3")));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 1 of 3")).singleElement().asString()
                .contains("I will send the other files next");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 3")).singleElement().asString()
                .contains(id, "/paysupport", "will no longer come back automatically");
        assertThat(h.balance(U)).isEqualTo(before - job.price());
    }

    /**
     * Two files, neither taken, none gone at the provider: he is told at the first that the other follows and that
     * the job comes back should it not arrive, and at the second it is given back. Both were silent, and charged.
     */
    @Test
    void aJobNoneOfWhoseFilesCouldBeSentIsToldAtTheFirstAndGivenBackAtTheLast() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"), new Delivery.Failed("refused"), new Delivery.Failed("refused"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 1 of 2")).singleElement().asString()
                .contains(id, "could not be sent", "I will send the other files next").doesNotContain("balance");
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 2")).singleElement().asString()
                .contains(id, "could not be sent either", "returned to your balance");
        assertThat(h.balance(U)).isEqualTo(before);
    }

    /**
     * Two files, the first taken and the second not: he has the first, so nothing goes back by itself, but he is told
     * of the second and pointed to support. It was silent.
     */
    @Test
    void aJobWhoseLastFileCouldNotBeSentAfterOneCameIsToldNotGivenBack() {
        long before = h.balance(U);
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));
        String id = job.id().display();

        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("File 2 of 2")).singleElement().asString()
                .contains(id, "could not be sent", "/paysupport").doesNotContain("balance");
        assertThat(h.balance(U)).isEqualTo(before - job.price());
    }

    /**
     * A job he got in part, refunded by an admin: «📎 As a file» sends the original of what he got, never the file he
     * did not get and was paid back for, as «📤 Send … again» sends only what he has. It sent every file.
     */
    @Test
    void aJobPartlySentAndRefundedByAnAdminSendsAsFilesOnlyWhatHeHas() {
        h.command(ShopHarness.ADMIN, "start");
        Job part = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        String id = part.id().display();
        h.send(U, new Event.MembershipChanged(false));
        h.adminConfirmed("refund", id);

        assertThat(asFileSources(id)).containsExactly("https://r/a.png");
    }

    /**
     * A job of two files, the second not taken and he told so, then refunded by an admin: «📎 As a file» sends the
     * first alone.
     */
    @Test
    void aJobWhoseSecondFileCouldNotBeSentAndThatAnAdminRefundedSendsAsFilesOnlyTheFirst() {
        h.command(ShopHarness.ADMIN, "start");
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));
        String id = job.id().display();
        h.adminConfirmed("refund", id);

        assertThat(asFileSources(id)).containsExactly("https://r/a.png");
    }

    /**
     * A result he missed while blocking the bot, sent whole at his return and refunded by an admin after: he has it,
     * so «📎 As a file» sends its original.
     */
    @Test
    void aResultSentAgainWholeAndThenRefundedByAnAdminIsSentAsAFile() {
        h.command(ShopHarness.ADMIN, "start");
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.press(U, resend);
        h.adminConfirmed("refund", id);

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(asFile).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/fox.png");
    }

    /**
     * «📤 Send … again» of a result he missed, pressed twice 3 s apart (past the repeated-press window) while the first
     * send is still on its way: the second press is told it is being sent and queues nothing. Both queued the whole
     * job (a whole re-send marked nothing that the second press read), the first send found the file gone and gave
     * the job back, the second got it through and kept its file id: he had the money and the file.
     */
    @Test
    void aSecondPressOnSendAgainWhileTheWholeResultIsOnItsWayQueuesNothing() {
        h = ShopHarness.withLimits();
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.command(ShopHarness.ADMIN, "start");
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);
        h.clock.advance(Duration.ofHours(30));
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("qa", resend, Optional.of(1L))));
        h.clock.advance(Duration.ofSeconds(3));
        h.shop.storefront().serve(new Incoming(900_002, ShopHarness.actor(U, "en"),
                new Event.Callback("qb", resend, Optional.of(1L))));
        h.messenger.thenAnswer(UPLOADING, new Delivery.Gone("HTTP 404"));

        h.deliver();

        assertThat(h.balance(U)).as("given back once").isEqualTo(paid + done.price());
        assertThat(h.stores.jobs().deliveredFileIds(done.id())).as("and nothing of it came").isEmpty();
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the second press queued no send").noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(sent).filteredOn(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text())
                .anyMatch(t -> t.contains(id) && t.contains("Already sending"))
                .anyMatch(t -> t.contains("returned to your balance"));
    }

    /**
     * «📎 As a file» of a job he got in part and was not paid back for sends the originals of the files that reached
     * him only: it sent every file's original, the one he never got among them, which /find still showed as never
     * sent, so a goodwill /refund on his /paysupport gave him the money for a file he had. The missing file goes by
     * «📤 Send … again», as the result it is; one that could not be sent is support's.
     */
    @Test
    void aJobPartlySentAndNotGivenBackSendsAsFilesOnlyWhatReachedHim() {
        Job part = foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
        String id = part.id().display();
        h.send(U, new Event.MembershipChanged(false));

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(asFile).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/a.png");
        assertThat(ShopHarness.lastTextTo(asFile, U)).contains(id, "1 of 2", "button below");
        ShopHarness.button(asFile, "📤 Send " + id + " again");
        Job refused = deliveredImages(List.of("https://r/c.png", "https://r/d.png"),
                new Delivery.Sent(Optional.of(10L), List.of("F3")), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));
        h.messenger.drain();

        List<Reply> refusedAsFile = h.press(U, "*|O|" + refused.id().display());

        assertThat(refusedAsFile).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/c.png");
        assertThat(ShopHarness.lastTextTo(refusedAsFile, U)).contains("1 of 2", "/paysupport");
    }

    /**
     * A job he got in part, its missing file sent again by «📤 Send … again» and «📎 As a file» pressed while that send
     * is still queued: the re-send took the file's missing mark off at once, so «📎» sent its original, and should the
     * re-send fail, he had it as a document while /find showed it missed. Now «📎» sends what surely reached him and
     * says the rest is on its way; once it has come, «📎» sends it too.
     */
    @Test
    void aFileSentAgainIsLeftOutOfAsAFileUntilItIsKnownToHaveCome() {
        String id = partlySentBeforeTheBlock().id().display();
        String resend = unblockedAndOfferedAgain(id);

        List<Reply> sent = resendThenAsFile(resend, id);

        assertThat(documents(sent)).as("not the one still on its way").containsExactly("https://r/a.png");
        assertThat(sent).filteredOn(r -> r instanceof Reply.SendMedia m && m.kind() == MediaKind.PHOTO)
                .map(r -> ((Reply.SendMedia) r).source()).containsExactly("https://r/b.png");
        assertThat(ShopHarness.lastTextTo(sent, U)).contains(id, "1 of 2", "still on their way");
        assertThat(asFileSources(id)).as("come now").containsExactly("https://r/a.png", "https://r/b.png");
    }

    /**
     * As {@link #aFileSentAgainIsLeftOutOfAsAFileUntilItIsKnownToHaveCome}, the re-send then refused, its link too: it
     * ends as any file not sent of a job he got in part, he is told and pointed to support, nothing given back by
     * itself, and «📎 As a file» still sends only the file he has. Its original had gone to him before.
     */
    @Test
    void aFileSentAgainThatFailsAfterAsAFileWasPressedIsNeverSentAsItsOriginal() {
        String id = partlySentBeforeTheBlock().id().display();
        String resend = unblockedAndOfferedAgain(id);
        long paid = h.balance(U);

        List<Reply> sent = resendThenAsFile(resend, id, UPLOADING, new Delivery.Failed("refused"),
                new Delivery.Failed("refused"));

        assertThat(documents(sent)).containsExactly("https://r/a.png");
        assertThat(sent).filteredOn(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text())
                .anyMatch(t -> t.contains("still on their way"))
                .anyMatch(t -> t.contains("File 2 of 2") && t.contains("/paysupport"));
        assertThat(h.balance(U)).as("not given back by itself").isEqualTo(paid);
        assertThat(asFileSources(id)).containsExactly("https://r/a.png");
    }

    /**
     * A job of two files none of which reached him, sent again whole by «📤 Send … again»: «📎 As a file» pressed before
     * any of it came is told it is being sent, and queues nothing (so it was already); pressed once the first has come
     * and the second is still queued, it sends the first's original alone and says the other is on its way. It sent
     * both originals, the re-send having cleared every missing mark.
     */
    @Test
    void aJobSentAgainWholeIsSentAsFilesOnlyAsFarAsItHasCome() {
        Job job = foxImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Blocked());
        String id = job.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("qa", resend, Optional.of(1L))));

        List<Reply> beforeAny = h.press(U, "*|O|" + id);

        assertThat(documents(beforeAny)).isEmpty();
        assertThat(beforeAny).filteredOn(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text())
                .anyMatch(t -> t.contains(id) && t.contains("Already sending"));
        assertThat(h.stores.jobs().deliveredFileIds(job.id())).as("the whole re-send went meanwhile").hasSize(2);

        setUp(); // a shop of its own: the second job's first file delivered, its second still queued
        Job second = foxImages(List.of("https://r/c.png", "https://r/d.png"), new Delivery.Blocked());
        String secondId = second.id().display();
        String resendSecond = ShopHarness.button(h.send(U, new Event.MembershipChanged(false)),
                "📤 Send " + secondId + " again");
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(900_003, ShopHarness.actor(U, "en"),
                new Event.Callback("qc", resendSecond, Optional.of(1L))));
        h.shop.sender().drain(2);
        assertThat(h.stores.jobs().deliveredFileIds(second.id())).as("the first has come").hasSize(1);
        h.shop.storefront().serve(new Incoming(900_004, ShopHarness.actor(U, "en"),
                new Event.Callback("qd", "*|O|" + secondId, Optional.of(1L))));
        h.deliver();
        List<Reply> sent = h.messenger.drain();

        assertThat(documents(sent)).containsExactly("https://r/c.png");
        assertThat(ShopHarness.lastTextTo(sent, U)).contains(secondId, "1 of 2", "still on their way");
    }

    /**
     * A job of two files none of which surely reached him (the first may have, the second was dropped at his block),
     * both sent again by «📤 Send … again» and «📎 As a file» pressed while they are queued: he is told they are on
     * their way («Already sending»), not that the originals go of the files that reached him, «0 of 2».
     */
    @Test
    void asAFileWhileAllOfAJobIsOnItsWaySaysItIsBeingSentNotNoneOfTwo() {
        Job job = maybeArrivedBeforeTheBlock();
        String id = job.id().display();
        String resend = unblockedAndOfferedAgain(id);

        List<Reply> sent = resendThenAsFile(resend, id);

        assertThat(documents(sent)).isEmpty();
        assertThat(sent).filteredOn(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text())
                .anyMatch(t -> t.contains(id) && t.contains("Already sending"))
                .noneMatch(t -> t.contains("0 of 2"));
    }

    /**
     * As {@link #asAFileWhileAllOfAJobIsOnItsWaySaysItIsBeingSentNotNoneOfTwo}, the re-send's first file refused, its
     * link too, before «📎 As a file» is pressed: none of it has reached him, one is on its way, the other is
     * support's, and he is told so, not «0 of 2».
     */
    @Test
    void asAFileWhenNoneOfAJobHasComeAndSomeIsOnItsWaySaysSoNotNoneOfTwo() {
        Job job = maybeArrivedBeforeTheBlock();
        String id = job.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("qa", resend, Optional.of(1L))));
        h.messenger.thenAnswer(UPLOADING, new Delivery.Failed("refused"), new Delivery.Failed("refused"));
        h.shop.sender().drain(2);
        h.shop.storefront().serve(new Incoming(900_002, ShopHarness.actor(U, "en"),
                new Event.Callback("qb", "*|O|" + id, Optional.of(1L))));
        h.deliver();
        List<Reply> sent = h.messenger.drain();

        assertThat(documents(sent)).isEmpty();
        assertThat(sent).filteredOn(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text())
                .anyMatch(t -> t.contains(id) && t.contains("None of this generation's files has reached you yet")
                        && t.contains("/paysupport"))
                .noneMatch(t -> t.contains("0 of 2"));
    }

    /**
     * «📎 As a file» of a job none of which surely reached him and none on its way: the first may have arrived, the
     * second was dropped at his block. He is told so, with «📤 Send … again» under it, not that the originals go of
     * the files that reached him, «0 of 2».
     */
    @Test
    void asAFileWhenNoneOfAJobHasComeAndTheRestWasDroppedAtABlockSaysSoNotNoneOfTwo() {
        Job job = maybeArrivedBeforeTheBlock();
        String id = job.id().display();
        h.send(U, new Event.MembershipChanged(false));

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(documents(asFile)).isEmpty();
        assertThat(ShopHarness.lastTextTo(asFile, U)).contains(id, "none of this generation's files")
                .doesNotContain("0 of 2");
        ShopHarness.button(asFile, "📤 Send " + id + " again");
    }

    /**
     * «📎 As a file» of a job none of which surely reached him, nothing noted at a block: the first may have arrived,
     * the second was not taken, its link neither. He is pointed to support, not told that the originals go of the
     * files that reached him, «0 of 2».
     */
    @Test
    void asAFileWhenNoneOfAJobSurelyCameAndNothingIsToComeSaysSoNotNoneOfTwo() {
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Uncertain("read timed out"), new Delivery.Failed("refused"), new Delivery.Failed("refused"));
        String id = job.id().display();
        h.messenger.drain();

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(documents(asFile)).isEmpty();
        assertThat(ShopHarness.lastTextTo(asFile, U)).contains(id, "none of this generation's files", "/paysupport")
                .doesNotContain("0 of 2");
    }

    /**
     * «📎 As a file» of a job of three: the first came, the second was not taken (its link neither), the third was
     * dropped at his block. It said «Press the button below for the missing ones», and the button sends the third
     * alone: the second is support's. Now it names what the button sends and what it will not, with /paysupport.
     */
    @Test
    void asAFileOfAJobOneOfWhoseMissingFilesWasNotTakenPromisesOnlyWhatTheButtonSends() {
        Job job = foxImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"), new Delivery.Blocked());
        String id = job.id().display();
        h.send(U, new Event.MembershipChanged(false));

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(documents(asFile)).containsExactly("https://r/a.png");
        assertThat(ShopHarness.lastTextTo(asFile, U)).contains(id, "1 of 3", "file 3", "file 2 could not be sent",
                "/paysupport").doesNotContain("the missing ones");
        List<Reply> resent = h.press(U, ShopHarness.button(asFile, "📤 Send " + id + " again"));
        assertThat(resent).filteredOn(Reply.SendMedia.class::isInstance).map(r -> ((Reply.SendMedia) r).source())
                .as("what the button sends: the third alone").containsExactly("https://r/c.png");
    }

    /**
     * As {@link #asAFileOfAJobOneOfWhoseMissingFilesWasNotTakenPromisesOnlyWhatTheButtonSends}, the first maybe
     * arrived: none of the job surely came, and he is told so; the button sends the first and the third, not the
     * second, and the words say that, not «the missing ones». They say plainly that no original goes now and what
     * the button sends: «I send the originals of the files that surely reached you only … none has» followed by «I
     * will send files 1 and 3» read as a contradiction.
     */
    @Test
    void asAFileOfAJobNoneOfWhichSurelyCameAndOneNotTakenPromisesOnlyWhatTheButtonSends() {
        Job job = foxImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Uncertain("read timed out"), new Delivery.Failed("refused"),
                new Delivery.Failed("refused"), new Delivery.Blocked());
        String id = job.id().display();
        h.send(U, new Event.MembershipChanged(false));

        List<Reply> asFile = h.press(U, "*|O|" + id);

        assertThat(documents(asFile)).isEmpty();
        assertThat(ShopHarness.lastTextTo(asFile, U)).contains(id, "No originals for now",
                "none of this generation's files", "I will send files 1 and 3 again", "file 2 could not be sent",
                "/paysupport").doesNotContain("the missing ones", "I send the originals");
        assertThat(new dev.kiebot.core.text.Texts().get("ru",
                dev.kiebot.core.text.Msg.UNSENT_ORIGINALS_RESEND_NONE_BUT, id, "Лиса", 0, 3, "файлы 1 и 3", "файл 2"))
                .contains("Без сжатия пока прислать нечего", "пришлю заново файлы 1 и 3", "файл 2 прислать не получилось")
                .doesNotContain("Без сжатия пришлю");
        List<Reply> resent = h.press(U, ShopHarness.button(asFile, "📤 Send " + id + " again"));
        assertThat(resent).filteredOn(Reply.SendMedia.class::isInstance).map(r -> ((Reply.SendMedia) r).source())
                .containsExactly("https://r/a.png", "https://r/c.png");
    }

    /**
     * A «📤 Send … again» made before arrivals were noted, whose file came (its file id kept): its line
     * ({@code gen.unsent_resent}) has no {@code gen.unsent_arrived} after it, nor ever will. «📎 As a file» two hours
     * later sends both originals, as it did then; it left the file out, "still on its way", for as long as the trail
     * was kept.
     */
    @Test
    void aFileSentAgainBeforeArrivalsWereNotedCountsAsReachedAsItDidThen() {
        Job job = partlySentBeforeTheBlock();
        String id = job.id().display();
        h.send(U, new Event.MembershipChanged(false));
        h.stores.audit().record(new AuditEvent(h.clock.instant(), "user:***42",
                UnsentResults.RESENT_BEFORE_ARRIVALS, id, Optional.of("unsent:" + U)));
        h.stores.jobs().addDeliveredFiles(job.id(), List.of(dev.kiebot.core.jobs.DeliveredFile.of("F2",
                "https://r/b.png")));
        h.clock.advance(Duration.ofHours(2));
        h.messenger.drain();

        h.shop.storefront().serve(new Incoming(900_009, ShopHarness.actor(U, "en"),
                new Event.Callback("qz", "*|O|" + id, Optional.of(1L))));
        h.deliver();
        List<Reply> sent = h.messenger.drain();

        assertThat(sent).filteredOn(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text())
                .noneMatch(t -> t.contains("still on their way"));
        assertThat(documents(sent)).containsExactly("https://r/a.png", "https://r/b.png");
    }

    /**
     * «📤 Send … again» and «📎 As a file» served before the outbox delivers anything (the re-send still queued when
     * «📎» decides), then delivered, the messenger answering the re-send's calls with {@code resent}.
     */
    private List<Reply> resendThenAsFile(String resend, String id, Delivery... resent) {
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(900_001, ShopHarness.actor(U, "en"),
                new Event.Callback("qa", resend, Optional.of(1L))));
        h.shop.storefront().serve(new Incoming(900_002, ShopHarness.actor(U, "en"),
                new Event.Callback("qb", "*|O|" + id, Optional.of(1L))));
        h.messenger.thenAnswer(resent);
        h.deliver();
        return h.messenger.drain();
    }

    /** A job of two files, the first maybe arrived (no answer came) and the second dropped as he blocked the bot. */
    private Job maybeArrivedBeforeTheBlock() {
        return foxImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Uncertain("read timed out"),
                new Delivery.Blocked());
    }

    /** A job of two files, the first sent and the second dropped as he blocked the bot. */
    /** He unblocks the bot: the «📤» button it offers for the job {@code id} it could not send him. */
    private String unblockedAndOfferedAgain(String id) {
        return ShopHarness.button(h.send(U, new Event.MembershipChanged(false)), "📤 Send " + id + " again");
    }

    private Job partlySentBeforeTheBlock() {
        return foxImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Blocked());
    }

    /** The sources of the documents among {@code sent}: the originals «📎 As a file» sent. */
    private static List<String> documents(List<Reply> sent) {
        return sent.stream().filter(r -> r instanceof Reply.SendMedia m && m.kind() == MediaKind.DOCUMENT)
                .map(r -> ((Reply.SendMedia) r).source()).toList();
    }

    /**
     * Three files, the first not sent (he is told the others follow and the job comes back should none arrive), the
     * second gone at the provider, the third comes: he is told of the second in short, how many are missing, the
     * promise not repeated. It was silent, and the first notice's /paysupport spoke of that first file alone. The
     * same for a second file gone after a first gone. Nothing moves: he has the third.
     */
    @Test
    void aSecondFileThatWillNotComeAfterTheOthersWerePromisedIsToldInShort() {
        long before = h.balance(U);
        List<String> urls = List.of("https://r/a.png", "https://r/b.png", "https://r/c.png");
        Job notSent = deliveredImages(urls, new Delivery.Failed("refused"), new Delivery.Failed("refused"),
                new Delivery.Gone("HTTP 404"), new Delivery.Sent(Optional.of(9L), List.of("F3")));
        assertToldOfTheSecondInShort(notSent);
        Job gone = deliveredImages(urls, new Delivery.Gone("HTTP 404"), new Delivery.Gone("HTTP 404"),
                new Delivery.Sent(Optional.of(10L), List.of("F6")));
        assertToldOfTheSecondInShort(gone);
        assertThat(h.balance(U)).as("he has the third of each").isEqualTo(before - notSent.price() - gone.price());
    }

    /** The notice of the job's second file of three that will not come: in short, the promise not repeated. */
    private void assertToldOfTheSecondInShort(Job job) {
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains(job.id().display()) && t.contains("File 2 of 3"))
                .singleElement().asString().contains("could not be sent either", "2\u00a0files are missing")
                .doesNotContain("I will send the other files next", "/paysupport");
    }

    /**
     * The first delivery told him the others follow (its first file not sent, then he blocked the bot); five hours
     * later his «📤 Send … again» sends the job whole, and its first file fails again: told as the first of this send
     * (which file, that the others follow), not "could not be sent either, see the message above", that message
     * being hours old.
     */
    @Test
    void theFirstFileOfAWholeReSendIsToldAsTheFirstOfThatSend() {
        Job job = foxImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Failed("refused"), new Delivery.Failed("refused"), new Delivery.Blocked());
        String id = job.id().display();
        h.clock.advance(Duration.ofHours(5));
        String resend = unblockedAndOfferedAgain(id);
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(900_011, ShopHarness.actor(U, "en"),
                new Event.Callback("qy", resend, Optional.of(1L))));
        h.messenger.thenAnswer(UPLOADING, new Delivery.Failed("refused"), new Delivery.Failed("refused"));
        h.deliver();
        List<String> told = h.messenger.drain().stream().filter(Reply.SendText.class::isInstance)
                .map(r -> ((Reply.SendText) r).text()).toList();

        assertThat(told).filteredOn(t -> t.contains("File 1 of 3")).singleElement().asString()
                .contains(id, "could not be sent.", "I will send the other files next").doesNotContain("either");
    }

    /**
     * Sent again at his return, the first of a job's two files is gone and the second comes: he has it, nothing is
     * given back (the job was refunded at the first file, before the second was tried).
     */
    @Test
    void aJobSentAgainWhoseFirstFileIsGoneAndSecondComesIsNotRefunded() {
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Blocked());
        String id = job.id().display();
        long paid = h.balance(U);
        String resend = unblockedAndOfferedAgain(id);

        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"));
        List<Reply> pressed = h.press(U, resend);

        assertThat(pressed).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/b.png");
        assertThat(h.balance(U)).isEqualTo(paid);
    }

    /**
     * The first file gone, the bot blocked at the second: nothing of the job reached him, so it is listed whole and,
     * all its files gone by his return, refunded. It was noted as missing its second file alone, as if he had the
     * first, and never refunded.
     */
    @Test
    void aJobWhoseFirstFileWasGoneAndSecondBlockedIsRefundedWhenAllAreGoneByHisReturn() {
        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png"), new Delivery.Gone("HTTP 404"),
                new Delivery.Blocked());
        String id = job.id().display();
        long paid = h.balance(U);
        List<Reply> back = h.send(U, new Event.MembershipChanged(false));
        assertThat(ShopHarness.lastText(back)).contains(id).doesNotContain("missing");
        h.clock.advance(Duration.ofHours(30));

        h.messenger.thenAnswer(PRESS_ANSWERED, UPLOADING, new Delivery.Gone("HTTP 404"), new Delivery.Gone("HTTP 404"));
        h.press(U, ShopHarness.button(back, "📤 Send " + id + " again"));

        assertThat(h.balance(U)).isEqualTo(paid + job.price());
    }

    /**
     * A result's file ids were kept only after its settle had committed: in between, another sender could take the
     * chat's next reply, the job's second file, and when that one was gone at the provider the job looked as if none
     * of it had come, and was refunded whole though he had the first file. Here the other sender runs in that window
     * (just before the first file's ids are written), and finds the chat still leased.
     */
    @Test
    void aFileSentIsKeptBeforeTheChatsNextFileCanBeSettledSoItsJobIsNotRefundedWhole() {
        java.util.concurrent.atomic.AtomicReference<ShopHarness> harness = new java.util.concurrent.atomic
                .AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        ShopHarness racing = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b, clock -> {
                    Stores s = InMemoryStores.create(clock);
                    return s.withJobs(new dev.kiebot.core.jobs.ForwardingJobs(s.jobs()) {
                        @Override
                        public void addDeliveredFiles(dev.kiebot.core.jobs.JobId id,
                                List<dev.kiebot.core.jobs.DeliveredFile> files) {
                            if (raced.compareAndSet(false, true)) {
                                harness.get().deliver(); // another sender, before this file's ids are kept
                            }
                            real.addDeliveredFiles(id, files);
                        }
                    });
                });
        harness.set(racing);
        h = racing;
        h.command(U, "start");
        h.topUp(U, 10_000);
        long before = h.balance(U);

        Job part = deliveredImages(List.of("https://r/a.png", "https://r/b.png"),
                new Delivery.Sent(Optional.of(9L), List.of("F1")), new Delivery.Gone("HTTP 404"));

        assertThat(raced).isTrue();
        assertThat(h.stores.jobs().deliveredFileIds(part.id())).containsExactly("F1");
        assertThat(h.balance(U)).as("he has the first file: not refunded whole").isEqualTo(before - part.price());
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains("File 2 of 2", "/paysupport");
    }

    /** A result he missed that is still there goes as a result: kept as sent, so it is not offered again. */
    @Test
    void aResultHeMissedAndThenGotIsSentAgainByItsFileId() {
        Job done = finishedWhileBlocked("https://r/fox.png");
        String id = done.id().display();
        String resend = unblockedAndOfferedAgain(id);
        h.press(U, resend);
        assertThat(h.stores.jobs().deliveredFileIds(done.id())).hasSize(1);

        assertThat(h.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).as("by its file id now").doesNotContain("https://r/fox.png")
                .hasSize(1);
    }

    /**
     * Back without the unblock event (lost, or Telegram sent none): his first update, /start here, tells him of the
     * results he missed, after its own answer, once. Before, the list came with the unblock event alone, and a user who
     * came back by writing never heard of them.
     */
    @Test
    void aUserWhoComesBackByWritingIsToldOfTheResultsHeMissed() {
        Job dropped = finishedWhileBlocked("https://r/fox.png");

        List<Reply> start = h.command(U, "start");

        assertThat(ShopHarness.lastText(start)).startsWith("📬 While you were away, " + dropped.id().display());
        assertThat(start.get(0)).as("the answer to /start first").isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).doesNotContain("📬"));
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isFalse();
        assertThat(ShopHarness.lastText(h.text(U, "hello"))).as("told once").doesNotContain("📬");
    }

    /**
     * The telling costs the hot path nothing: an update of a user not stored as blocked reads no unsent results (the
     * flag comes with the user the update reads anyway); one stored as blocked reads them once, at his return.
     */
    @Test
    void onlyAReturnReadsTheResultsAUserMissed() {
        AtomicInteger reads = new AtomicInteger();
        ShopHarness counted = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b, clock -> counting(InMemoryStores.create(clock), reads));
        counted.command(U, "start");
        counted.text(U, "hello");
        counted.press(U, "*|m");
        assertThat(reads).as("nobody blocked, nothing read").hasValue(0);

        counted.send(U, new Event.MembershipChanged(true));
        counted.text(U, "hello");
        counted.text(U, "hello again");
        assertThat(reads).as("read at his return, once").hasValue(1);
    }

    /**
     * A result sent to a user with nothing recent in his unsent trail (here: none at all) reads no trail of his: only
     * a re-send at his asking, a queued reply's wait old at most, is noted when it arrives. The sender read the whole
     * trail at every result sent, first deliveries too.
     */
    @Test
    void aResultSentToAUserWithNoRecentReSendReadsNoUnsentTrail() {
        AtomicInteger reads = countingReadsWithABalance();

        Job job = foxImages(List.of("https://r/a.png", "https://r/b.png"), UPLOADING, UPLOADING);

        assertThat(h.stores.jobs().deliveredFileIds(job.id())).isNotEmpty();
        assertThat(reads).as("no unsent trail read whole").hasValue(0);
    }

    /**
     * A file of a job that will not come reads the user's unsent trail once to learn whether its others were promised,
     * how many files this send missed, whether the job goes back and whether it was dropped at a block (here the
     * second of three, gone after the first's notice promised the others, as
     * {@link #aSecondFileThatWillNotComeAfterTheOthersWerePromisedIsToldInShort}): asked apart, a file not sent read it
     * twice, a gone one three times.
     */
    @Test
    void aFileThatWillNotComeReadsTheUnsentTrailOnceForItsNotice() {
        AtomicInteger reads = countingReadsWithABalance();

        Job job = deliveredImages(List.of("https://r/a.png", "https://r/b.png", "https://r/c.png"),
                new Delivery.Failed("refused"), new Delivery.Failed("refused"), new Delivery.Gone("HTTP 404"),
                new Delivery.Sent(Optional.of(9L), List.of("F3")));

        assertToldOfTheSecondInShort(job);
        // each failed file once; the third, sent while the trail's last line is young, whether it was on its way
        assertThat(reads).as("whole reads of his unsent trail").hasValueLessThanOrEqualTo(3);
    }

    /** A shop ({@link #h}) whose audit trail counts the whole reads of users' unsent trails; U started, with 100.00. */
    private AtomicInteger countingReadsWithABalance() {
        AtomicInteger reads = new AtomicInteger();
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b, clock -> counting(InMemoryStores.create(clock), reads));
        h.command(U, "start");
        h.topUp(U, 10_000);
        return reads;
    }

    /** The stores with an audit trail that counts the reads of users' missed results. */
    private static Stores counting(Stores s, AtomicInteger reads) {
        Audit audit = new ForwardingAudit(s.audit()) {
            @Override
            public List<AuditEvent> byCorrelation(String correlationId) {
                if (correlationId.startsWith("unsent:")) {
                    reads.incrementAndGet();
                }
                return real.byCorrelation(correlationId);
            }
        };
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                s.processedUpdates(), audit, s.admissions(), s.broadcasts(), s.manualTopUps(), s.supportTickets(),
                s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                s.externalRefundDues(), s.personalData());
    }
}
