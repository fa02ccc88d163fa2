package dev.kiebot.runtime.intake;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.fake.FakeUpdates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a test of update handling on the real PostgreSQL starts from: an empty database, a clock standing still, a
 * messenger that records what reaches Telegram, and updates as Telegram sends them. One per test (a field of the
 * test class: JUnit makes a new instance for every test).
 */
final class HandlingTestBed {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    final FakeUpdates updates = new FakeUpdates();
    final RecordingMessenger messenger = new RecordingMessenger();
    final Stores stores = TestDatabase.emptyStores(clock);
    private final UpdateTranslator translator = new UpdateTranslator("kiebot_test_bot", 1234567);

    /** Records an update the way both doors do. */
    void record(String update) {
        new UpdateInbox(stores.processedUpdates(), clock, new SimpleMeterRegistry()).record(update);
    }

    /** A shop on these stores, without per-chat pacing. */
    Shop shop() {
        return ScriptedShop.on(stores, messenger, clock);
    }

    /** One handler thread's dispatcher, handling, apologizing and giving up through {@code shop}. */
    UpdateDispatcher dispatcher(Shop shop, ProcessedUpdates inbox) {
        return dispatcher(inbox, stores.transactions(), shop.storefront()::handle, shop.storefront()::apologize,
                shop.storefront()::givenUp);
    }

    /** One handler thread's dispatcher keeping nothing of an update given up with no answer but its audit line. */
    UpdateDispatcher dispatcher(ProcessedUpdates inbox, Transactions transactions, Consumer<Incoming> handle,
                                Consumer<Incoming> apologize) {
        return dispatcher(inbox, transactions, handle, apologize, (in, alertAdmins) -> { });
    }

    UpdateDispatcher dispatcher(ProcessedUpdates inbox, Transactions transactions, Consumer<Incoming> handle,
                                Consumer<Incoming> apologize, BiConsumer<Incoming, Boolean> givenUp) {
        return dispatcher(translator::parse, inbox, transactions, stores.audit(), handle, apologize, givenUp);
    }

    /** One handler thread's dispatcher reading updates with {@code translate} (the bed's is {@link #translate}). */
    UpdateDispatcher dispatcher(Function<String, Optional<Incoming>> translate, ProcessedUpdates inbox,
                                Transactions transactions, Consumer<Incoming> handle, Consumer<Incoming> apologize) {
        return dispatcher(translate, inbox, transactions, stores.audit(), handle, apologize, (in, alertAdmins) -> { });
    }

    /** One handler thread's dispatcher recording updates given up with no answer in {@code audit}. */
    UpdateDispatcher dispatcher(Function<String, Optional<Incoming>> translate, ProcessedUpdates inbox,
                                Transactions transactions, Audit audit, Consumer<Incoming> handle,
                                Consumer<Incoming> apologize) {
        return dispatcher(translate, inbox, transactions, audit, handle, apologize, (in, alertAdmins) -> { });
    }

    /** ... and keeping what {@code givenUp} keeps of it (the storefront's {@code givenUp}). */
    UpdateDispatcher dispatcher(Function<String, Optional<Incoming>> translate, ProcessedUpdates inbox,
                                Transactions transactions, Audit audit, Consumer<Incoming> handle,
                                Consumer<Incoming> apologize, BiConsumer<Incoming, Boolean> givenUp) {
        return new UpdateDispatcher(inbox, transactions, audit, translate, handle, apologize, givenUp, clock, "t", 1,
                SafetyPoll.DEFAULT);
    }

    /** An update as Telegram sends it, in core's terms, as kiebot reads it. */
    Optional<Incoming> translate(String update) {
        return translator.parse(update);
    }

    /** The texts Telegram received for {@code chat} so far, in order (replies still in the outbox are not). */
    List<String> textsTo(long chat) {
        return messenger.all().stream().filter(r -> r.chatId() == chat && r instanceof Reply.SendText)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }
}
