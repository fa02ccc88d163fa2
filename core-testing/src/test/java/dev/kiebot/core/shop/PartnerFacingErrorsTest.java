package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.InvalidCatalogException;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A partner's wrong argument is refused naming the call and what to pass: a bare NullPointerException, or a message
 * that speaks of kiebot's runner (its models/ folder, its environment variables), leaves them reading core's source.
 */
class PartnerFacingErrorsTest {
    @Test
    void aNullDeadlineOrCategoryNamesWithDeadline() {
        assertThatThrownBy(() -> ShopSettings.defaults().withDeadline(null, Duration.ofMinutes(5)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("withDeadline")
                .hasMessageContaining("Category.IMAGE");
        assertThatThrownBy(() -> ShopSettings.defaults().withDeadline(Category.IMAGE, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("withDeadline")
                .hasMessageContaining("Duration.ofMinutes");
    }

    @Test
    void aCatalogRefusalNamesCatalogOfNotTheRunnersFolderAlone() {
        assertThatThrownBy(() -> Catalog.of(List.of())).isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("Catalog.of").hasMessageContaining("no models");
        assertThatThrownBy(() -> Catalog.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Catalog.of");
    }

    /** A currency in lower case or of other minor digits than hundredths is refused, saying what to give. */
    @Test
    void aCurrencyNotInCapitalsOrNotInHundredthsIsRefused() {
        java.math.BigDecimal one = java.math.BigDecimal.ONE;
        assertThatThrownBy(() -> new dev.kiebot.core.catalog.Pricing(one, one, "usd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO 4217 code in capitals");
        assertThatThrownBy(() -> new dev.kiebot.core.catalog.Pricing(one, one, "JPY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JPY has 0 minor digits");
        assertThatThrownBy(() -> new dev.kiebot.core.catalog.Pricing(one, one, "KWD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KWD has 3 minor digits");
        assertThat(new dev.kiebot.core.catalog.Pricing(one, one, "EUR").currency()).isEqualTo("EUR");
    }

    /**
     * A store of the partner's own that left these out kept defaults that turned things off without a word: serve's
     * refusal inside a transaction (active: false), the admins' stuck-inbox and stuck-outbox alerts (none waiting),
     * the noting of results dropped with a chat's queue (none dropped), a long text's messages sent once (the whole
     * reply sent again after a part went), the admins' alerts told once per occasion (appended every time), the
     * builder's refusal of stores in memory (a wrapper of in-memory transactions, forwarding the rest, said durable),
     * a receipt's request found however many closed ones came after it (the user's newest 100 read), a decorator of
     * {@code Payments.none()} taken for a store that keeps Stars (the builder's refusal of it in a shop selling them),
     * a wait for a request in flight under a ledger id ({@code findAwaiting} as {@code find}: a Stars refund and its
     * report each took their turn against nothing). No defaults: the compiler names each. {@code PendingReplies.releaseAll} keeps its default: it throws, and the one
     * start that asks it ({@code Instances.ONE}) is refused saying what to do.
     */
    @Test
    void noPortMethodWhoseDefaultWouldTurnAGuardOffHasOne() throws NoSuchMethodException {
        List<java.lang.reflect.Method> guards = List.of(Transactions.class.getMethod("active"),
                dev.kiebot.core.intake.ProcessedUpdates.class.getMethod("oldestPending"),
                PendingReplies.class.getMethod("oldestWaiting"),
                PendingReplies.class.getMethod("dropQueue", long.class),
                PendingReplies.class.getMethod("releaseRest", PendingReplies.Queued.class, Reply.class, Instant.class),
                Audit.class.getMethod("recordFirst", AuditEvent.class, Instant.class),
                Transactions.class.getMethod("durable"),
                dev.kiebot.core.payments.ManualTopUps.class.getMethod("open", long.class, Instant.class),
                dev.kiebot.core.payments.Payments.class.getMethod("keepsStars"),
                dev.kiebot.core.ledger.Ledger.class.getMethod("findAwaiting", String.class));
        assertThat(guards).allSatisfy(m -> assertThat(m.isDefault()).as(m.toString()).isFalse());
    }

    /**
     * A store of the partner's own that left these out kept nothing, and nobody was told: every user's personal texts
     * past the retention the operator set ({@code forgetOlder} blanked none), the pre-checkout answer a crash kept
     * from leaving (Telegram cancelled the payment), a reply's deferral and a try's mark (a reply refused for ever
     * never given up across restarts, a result that may have reached the chat refunded), the replies a store moved
     * aside unsent, users' words, past their retention ({@code forgetDeadLetters} forgot none). No defaults: the
     * compiler names each. {@code Broadcasts.stop} keeps its default: it stops nothing and the admin is told so.
     */
    @Test
    void noPortMethodWhoseDefaultWouldKeepNothingHasOne() throws NoSuchMethodException {
        List<java.lang.reflect.Method> keeping = List.of(
                dev.kiebot.core.users.PersonalData.class.getMethod("forgetOlder", Instant.class, int.class),
                PendingReplies.class.getMethod("keepAnswer", PendingReplies.KeptAnswer.class),
                PendingReplies.class.getMethod("answerGone", String.class),
                PendingReplies.class.getMethod("keptAnswers"),
                PendingReplies.class.getMethod("release", PendingReplies.Queued.class, Instant.class,
                        PendingReplies.Deferral.class),
                PendingReplies.class.getMethod("releaseRest", PendingReplies.Queued.class, Reply.class,
                        Instant.class, PendingReplies.Deferral.class),
                PendingReplies.class.getMethod("tryBegins", PendingReplies.Queued.class, Instant.class),
                PendingReplies.class.getMethod("forgetDeadLetters", Instant.class, int.class));
        assertThat(keeping).allSatisfy(m -> assertThat(m.isDefault()).as(m.toString()).isFalse());
    }

    /**
     * Every default a store of the partner's own inherits, each reviewed: it loses no user's data, reply, money or
     * personal data past its retention (its javadoc says why: the same answer read slower, a log line's name, a
     * table that only grows, a start refused saying what to do), where the two lists above lost one. A default added
     * to a store's port fails here until it is reviewed: made abstract, or added here with its javadoc's reason.
     */
    @Test
    void everyDefaultAStoreInheritsIsAReviewedOne() {
        List<String> reviewed = List.of("Audit.lastByCorrelation(String)",
                "Broadcasts.finish(long, Instant)", "Broadcasts.forgetRecipients(Instant, int)",
                "Broadcasts.stop(long, Instant)", "FreeUsage.tryUse(long, LocalDate, int, String)",
                "Jobs.deliveredFileIds(JobId)", "Jobs.deliveredWithoutFileIds(long, Instant, int)",
                "Jobs.transition(JobId, Predicate, UnaryOperator)", "Jobs.unfinished(long, int)",
                "Ledger.oldestDueHold(Instant)", "Ledger.postedDebitKinds(AccountId, Set, Instant)",
                "Ledger.postedNet(AccountId, Set)", "Ledger.postedTotal(Set, Instant, Instant)",
                "Ledger.posted(Set, Instant, Instant)", "Ledger.posted(Set, Instant, Instant, int)",
                "Ledger.recent(AccountId, int)", "Ledger.stuckHoldHint()", "Ledger.withIdPrefix(String)",
                "ManualTopUps.attachReceipt(long, String)", "ManualTopUps.create(ManualTopUpDraft)",
                "ManualTopUps.forgetNotices(Instant, int)", "PausedModels.paused(String)",
                "PendingReplies.append(List, Instant, Optional)", "PendingReplies.clockSteppedBack(Duration, Instant)",
                "PendingReplies.releaseAll(Instant)", "PendingReplies.untag(long, List)",
                "ProcessedUpdates.purge(Instant, int)", "ProcessedUpdates.recordAll(List, Instant)",
                "Users.languageOf(long)");
        List<String> defaults = java.util.Arrays.stream(Stores.class.getRecordComponents())
                .flatMap(c -> java.util.Arrays.stream(c.getType().getMethods()))
                .filter(java.lang.reflect.Method::isDefault)
                .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName() + java.util.Arrays
                        .stream(m.getParameterTypes()).map(Class::getSimpleName)
                        .collect(java.util.stream.Collectors.joining(", ", "(", ")")))
                .distinct().sorted().toList();
        assertThat(defaults).as("the defaults a store of the partner's inherits").containsExactlyInAnyOrderElementsOf(
                reviewed);
    }

    /**
     * Every default a port of the partner's that is not a store inherits, each reviewed as the stores' are: none says
     * "sent", "supported" or "nothing to refund" for what it did not do, none loses a reply, a result or money, none
     * hides a failure (its javadoc says why: the same answer later, a limit the user is told, a balance said unknown,
     * a watch that only tells). The ports are every interface of core's that {@code Shop.Builder} takes, and those a
     * runner gives core's inbox and intake ({@code Inbox.Watch}, {@code SingletonLock}) and pacing
     * ({@code BotPacing.Sleeper}). {@code Context} is not one: core makes it, a partner meets it in tests alone. A
     * default added to one fails here until it is reviewed: made abstract, or added here with its javadoc's reason.
     */
    @Test
    void everyDefaultAPortNotAStoreInheritsIsAReviewedOne() {
        List<Class<?>> ports = java.util.stream.Stream.concat(java.util.Arrays.stream(Shop.Builder.class.getMethods())
                        .filter(m -> m.getDeclaringClass() == Shop.Builder.class)
                        .flatMap(m -> java.util.Arrays.stream(m.getParameterTypes())),
                java.util.stream.Stream.of(dev.kiebot.core.intake.Inbox.Watch.class,
                        dev.kiebot.core.intake.SingletonLock.class, dev.kiebot.core.pacing.BotPacing.Sleeper.class))
                .filter(Class::isInterface).filter(c -> c.getName().startsWith("dev.kiebot.core."))
                .distinct().toList();
        assertThat(ports).as("the ports a partner implements, Stores' aside").contains(
                dev.kiebot.core.reply.Messenger.class, dev.kiebot.core.jobs.GenerationProvider.class, FileSource.class,
                dev.kiebot.core.payments.StarsRefunds.class, dev.kiebot.core.payments.StarTransactions.class,
                dev.kiebot.core.reports.ChartRenderer.class, dev.kiebot.core.payments.TopUpLink.class,
                dev.kiebot.core.reply.BotLinks.class, StoresClock.class, dev.kiebot.core.jobs.PollPolicy.class,
                dev.kiebot.core.intake.Inbox.Watch.class);
        List<String> reviewed = List.of("FileSource.downloadBytesMax()",
                "GenerationProvider.awaitSubmitPermit()", "GenerationProvider.credits()",
                "GenerationProvider.origin(Model, String)", "GenerationProvider.statusOnce(Model, String)",
                "GenerationProvider.statusOnce(Model, String, Map)", "GenerationProvider.taskEnded(String)",
                "Messenger.heldFor()", "Watch.claimed(PendingUpdate)", "Watch.finished()",
                "Watch.gaveUp(PendingUpdate, Optional)", "Watch.givenUpWithoutAnswer(PendingUpdate, Throwable)",
                "Watch.givingUp(PendingUpdate, Throwable)", "Watch.leftPending(long, Throwable, int, int)",
                "Watch.pauseAfterContention()");
        List<String> defaults = ports.stream().flatMap(c -> java.util.Arrays.stream(c.getMethods()))
                .filter(java.lang.reflect.Method::isDefault)
                .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName() + java.util.Arrays
                        .stream(m.getParameterTypes()).map(Class::getSimpleName)
                        .collect(java.util.stream.Collectors.joining(", ", "(", ")")))
                .distinct().sorted().toList();
        assertThat(defaults).as("the defaults a port of the partner's, not a store, inherits")
                .containsExactlyInAnyOrderElementsOf(reviewed);
    }

    /** A null where a shop or an update's payload goes: the call is named, and what to pass, not a bare "shop". */
    @Test
    void aNullShopOrPayloadNamesTheCallAndWhatToPass() {
        assertThatThrownBy(() -> ShopWork.start(null, ShopWork.Instances.ONE)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("ShopWork.start: shop").hasMessageContaining("Shop.builder()");
        assertThatThrownBy(() -> ShopWork.start(new ShopHarness().shop, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ShopWork.start: instances")
                .hasMessageContaining("Instances.ONE or Instances.SEVERAL");
        assertThatThrownBy(() -> new dev.kiebot.core.intake.ArrivedUpdate(1, 42, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ArrivedUpdate: payload")
                .hasMessageContaining("as the platform sent it");
        assertThatThrownBy(() -> dev.kiebot.core.intake.ArrivedUpdate.withoutNul(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ArrivedUpdate.withoutNul: raw");
    }

    /** A null given to an Inbox: the call is named, and what to pass, not a bare "shop" or "String.indexOf". */
    @Test
    void aNullGivenToAnInboxNamesTheCallAndWhatToPass() {
        ShopHarness h = new ShopHarness();
        assertThatThrownBy(() -> new dev.kiebot.core.intake.Inbox(null, pending -> Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("new Inbox: shop")
                .hasMessageContaining("Shop.builder()");
        assertThatThrownBy(() -> new dev.kiebot.core.intake.Inbox(h.shop, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("new Inbox: translate");
        dev.kiebot.core.intake.Inbox inbox = new dev.kiebot.core.intake.Inbox(h.shop, pending -> Optional.empty());
        assertThatThrownBy(() -> inbox.record(1, 42, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Inbox.record: rawUpdate").hasMessageContaining("as your platform sent it");
        assertThat(h.stores.processedUpdates().oldestPending()).as("nothing recorded").isEmpty();
    }

    @Test
    void aNullUpdateOrReplyNamesTheCall() {
        ShopHarness harness = new ShopHarness();
        assertThatThrownBy(() -> harness.shop.storefront().serve(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("storefront().serve").hasMessageContaining("Incoming");
        assertThatThrownBy(() -> harness.shop.outbox().send(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("outbox().send").hasMessageContaining("Reply");
    }

    /**
     * A null given to what a partner calls per payment or per provider callback: the call is named, and what to pass,
     * not a bare "payment".
     */
    @Test
    void aNullPaymentOrCallbackNamesTheCallAndWhatToPass() {
        ShopHarness harness = new ShopHarness();
        assertThatThrownBy(() -> harness.shop.externalTopUps().credit(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("externalTopUps().credit: payment").hasMessageContaining("new ExternalPayment(");
        assertThatThrownBy(() -> harness.shop.externalTopUps().refunded(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("externalTopUps().refunded: refund")
                .hasMessageContaining("new ExternalRefund(");
        assertThatThrownBy(() -> harness.shop.worker().checkTask(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("worker().checkTask: taskId");
        assertThatThrownBy(() -> harness.shop.worker().checkTask("task-1", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("worker().checkTask: namedJob")
                .hasMessageContaining("Optional.empty()");
    }

    @Test
    void aNullGivenToOutboxSendAllNamesTheCallAndWhatToPass() {
        ShopHarness harness = new ShopHarness();
        assertThatThrownBy(() -> harness.shop.outbox().sendAll(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Outbox.sendAll: replies").hasMessageContaining("List.of()");
        assertThatThrownBy(() -> harness.shop.outbox().sendAll(List.of(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("Outbox.sendAll: receivedAt")
                .hasMessageContaining("Optional.empty()");
        assertThatThrownBy(() -> harness.shop.outbox().sendAll(java.util.Arrays.asList((Reply) null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("Outbox.sendAll: replies[0]");
    }

    /**
     * A messenger answering null (its contract says never) did call its platform: the reply counts as maybe arrived,
     * is not sent again, and the log names the messenger instead of a failure inside core.
     */
    @Test
    void aMessengerAnsweringNullIsNamedAndItsReplyIsNotSentAgain() {
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        try (LoggedLines logged = LoggedLines.recording(ReplySender.class, java.util.logging.Level.ALL)) {
            List<String> warnings = logged.lines();
            ShopHarness harness = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(),
                    dev.kiebot.core.payments.ManualPayments.off(), b -> b.messenger(r -> {
                        sends.incrementAndGet();
                        return null;
                    }));
            harness.shop.storefront().serve(new dev.kiebot.core.conversation.Incoming(1, ShopHarness.actor(42, "en"),
                    new Event.Command("start", "")));
            harness.deliver();
            harness.deliver();
            assertThat(sends).as("the welcome, once").hasValue(1);
            assertThat(harness.deliver()).isZero();
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains(".send returned null", "a Messenger returns "
                    + "a Delivery", "not sent again")).noneSatisfy(w -> assertThat(w).contains("NullPointerException"));
        }
    }

    /**
     * serve inside the caller's transaction would commit a failed update's writes with the caller's (its rollback
     * joined and undid nothing): it refuses, says what to call instead, and handles nothing.
     */
    @Test
    void serveInsideATransactionRefusesAndSaysToCallHandleThere() {
        ShopHarness harness = new ShopHarness();
        assertThatThrownBy(() -> harness.stores.transactions().inOne(() -> {
            harness.shop.storefront().serve(new dev.kiebot.core.conversation.Incoming(1, ShopHarness.actor(42, "en"),
                    new Event.Command("start", "")));
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("outside any transaction")
                .hasMessageContaining("storefront().handle(in)").hasMessageContaining("storefront().apologize(in)");
        assertThat(harness.stores.users().find(42)).isEmpty();
        assertThat(harness.messenger.drain()).isEmpty();
    }

    /**
     * A partner's translator that passes null in an event is told at once what to give: the null otherwise failed
     * deep in the handling, rolled back into «something went wrong» for every such update.
     */
    @Test
    void anEventWithANullSaysWhatToPassInstead() {
        assertThatThrownBy(() -> new Event.Text(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Event.Unknown");
        assertThatThrownBy(() -> new Event.Command("start", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("\"\" when the command came alone");
        assertThatThrownBy(() -> new Event.Callback("q1", null, Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("data");
        assertThatThrownBy(() -> new Event.Media(MediaType.PHOTO, null, 10, Optional.empty(), Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("fileId");
        assertThatThrownBy(() -> new Event.SuccessfulPayment("c1", null, "XTR", 50))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("SuccessfulPayment: payload");
        assertThat(new Event.Command("start", "").args()).isEmpty();
    }

    /**
     * A translation that passes null for when an update came or its chat's kind, or a pace without its interval, is
     * told the call and what to give: a bare "null" (Optional.of's) or the JDK's "Cannot invoke Duration.isNegative()"
     * before, from inside core.
     */
    @Test
    void aNullReceivedAtChatKindOrPaceNamesTheCallAndWhatToGive() {
        dev.kiebot.core.conversation.Incoming in = new dev.kiebot.core.conversation.Incoming(1,
                ShopHarness.actor(42, "en"), new Event.Command("start", ""));
        assertThatThrownBy(() -> in.receivedAt(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Incoming.receivedAt").hasMessageContaining("pending.recordedAt()");
        assertThatThrownBy(() -> in.in(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Incoming.in").hasMessageContaining("ChatKind.PRIVATE");
        assertThatThrownBy(() -> new dev.kiebot.core.pacing.ChatPacing(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ChatPacing: interval")
                .hasMessageContaining("Duration.ZERO");
    }

    /** A file source of the partner's that leaves the name or type out is told so at once, not at the provider's upload. */
    @Test
    void aDownloadedFileWithoutANameOrTypeSaysWhatToGive() {
        assertThatThrownBy(() -> new FileSource.DownloadedFile(new byte[1], null, "image/png"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("fileName").hasMessageContaining("\"file\"");
        assertThatThrownBy(() -> new FileSource.DownloadedFile(new byte[1], "photo.png", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("application/octet-stream");
    }

    /** The free tier's refusal speaks first of the builder call the partner made, not of the runner's variable. */
    @Test
    void aWrongFreeTierOverrideNamesTheBuilderCallFirst() {
        MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
        ShopHarness harness = new ShopHarness();
        Shop.Builder builder = Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).settings(ShopSettings.defaults())
                .messenger(harness.messenger).provider(harness.provider).files(new dev.kiebot.core.testing.FakeFiles()).starsRefunds(harness.starsRefunds).charts(harness.charts).clock(clock).freeDailyLimit(1)
                .stores(InMemoryStores.create(clock)).freeTierOverride(Optional.of(List.of("nope")));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Shop.builder(): the free tier is wrong: freeTierOverride ")
                .hasMessageContaining("must name exactly 5").hasMessageContaining("unknown model 'nope'");
    }

    /**
     * A translator that passes the user's {@code /Start} through as the name (slash and capitals) gets the command it
     * names: before, core took it for another command, and the bot answered every command with "unknown command".
     */
    @Test
    void aCommandNamedWithItsSlashOrInCapitalsIsTheCommandItNames() {
        ShopHarness h = new ShopHarness();
        String start = ShopHarness.lastText(h.command(1L, "start"));
        assertThat(ShopHarness.lastText(h.send(2L, new Event.Command("/start", ""))))
                .isEqualTo(start.replace("User1", "User2"));
        assertThat(ShopHarness.lastText(h.send(3L, new Event.Command("/Start", ""))))
                .isEqualTo(start.replace("User1", "User3"));
        assertThat(ShopHarness.lastText(h.send(1L, new Event.Command("/HELP", ""))))
                .isEqualTo(ShopHarness.lastText(h.command(1L, "help"))).doesNotContain("do not know that command");
        Event.Command typed = new Event.Command("/Start", "r_abc");
        assertThat(typed.name()).isEqualTo("start");
        assertThat(typed.text()).as("the text when not known, as the adapter would write it").isEqualTo("/start r_abc");
    }
}
