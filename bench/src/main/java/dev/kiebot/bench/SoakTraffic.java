package dev.kiebot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's users: a few hundred returning chats, each going round the shop's everyday life at a steady total rate
 * of updates: {@code /start}, the "Images" category, Nano Banana, "▶ Start", a prompt (one in {@value #HUGE_EVERY}
 * a whole Telegram message of 4,096 characters), "✓ 1:1", "✅ Generate for …" (free while the day's free
 * generations last, then paid from the welcome bonus), the stub's result delivered, "🔁 Again" and its confirmation,
 * {@code /history}, an old (stale) button pressed again, {@code /menu}, and round again. The labels are the ones the
 * e2e tests of app-webhook press (MixedTraffic, WebhookEndToEndTest); a chat presses the callback data the bot put on
 * its newest message ({@link Screens}), as a user can only press what he was shown.
 *
 * <p>A chat sends its next step only after the bot answered the last and then said nothing for {@link #QUIET} (a text, a photo for a confirmation, a press's
 * answer for a stale button); one left unanswered for {@link #PATIENCE} ({@link #PHOTO_PATIENCE} for a photo) or whose
 * screen lacks the button it wants starts again at {@code /start}, counted. Updates go to the runner by its
 * {@link SoakIntake} (the webhook's {@code POST /telegram}, or the fake Bot API's {@code getUpdates}), one every 1/rate
 * seconds when a chat is ready (a slot with no chat ready is skipped and counted).
 */
final class SoakTraffic {
    static final int HUGE_EVERY = 20;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How long a chat's screen must stay unchanged after the bot's answer before its next step: one step's answer is
     * often two calls (a press's answer and the edit, a result and its menu, a welcome and a note of an open order),
     * and a step read from the first pressed what the second replaced.
     */
    private static final Duration QUIET = Duration.ofMillis(1000);
    /**
     * A confirmed order's photo: made and uploaded behind every other chat's (the stub draws a PNG, the outbox paces
     * the uploads), a minute and more on a loaded machine; a 30 s patience gave every order of a 300-chat run up.
     */
    private static final Duration PHOTO_PATIENCE = Duration.ofSeconds(180);
    private static final String HUGE_PROMPT = ("a lighthouse on a cliff at dusk, waves breaking below, ")
            .repeat(80).substring(0, 4096);

    private enum Step {
        START, IMAGES, MODEL, GO, PROMPT, RATIO, CONFIRM, AGAIN, CONFIRM_AGAIN, HISTORY, STALE, MENU
    }

    /** What a chat waits for after its step: any text, a delivered photo, or any answer (a toast will do). */
    private enum Awaits {
        TEXT, PHOTO, ANY
    }

    private static final class Chat {
        final long id;
        Step step = Step.START;
        Step sent = Step.START;
        boolean waiting;
        Awaits awaits = Awaits.TEXT;
        Screens.Screen before = Screens.Screen.NONE;
        long sentNanos;
        Optional<Screens.Button> stale = Optional.empty();
        int staleMessage;

        Chat(long id) {
            this.id = id;
        }
    }

    private final Screens screens;
    private final SoakIntake intake;
    private final List<Chat> chats = new ArrayList<>();
    private final AtomicLong updateIds;
    private final Random random = new Random(42);
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private int cursor;

    SoakTraffic(Screens screens, SoakIntake intake, long firstChat, int chatCount, long firstUpdate) {
        this.screens = screens;
        this.intake = intake;
        for (int i = 0; i < chatCount; i++) {
            chats.add(new Chat(firstChat + i));
        }
        this.updateIds = new AtomicLong(firstUpdate);
    }

    /** Sends at {@code perSecond} until {@code endNanos}; returns when the runner took the last update. */
    void runUntil(long endNanos, double perSecond) throws InterruptedException {
        long period = (long) (1e9 / perSecond);
        long next = System.nanoTime();
        while (next < endNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += period;
            if (!nextUpdate()) {
                count("slot_without_a_ready_chat");
            }
        }
        intake.finish(PHOTO_PATIENCE);
    }

    /**
     * Counts by what happened, e.g. {@code sent_PROMPT}, {@code photos}, {@code unanswered_CONFIRM}, and the runner's
     * {@code accepted} (and {@code not_accepted}, when any).
     */
    Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        m.put("accepted", intake.accepted());
        if (intake.notAccepted() > 0) {
            m.put("not_accepted", intake.notAccepted());
        }
        return m;
    }

    /** Hands the next ready chat's step to the runner, round-robin; false when every chat still waits for the bot. */
    private boolean nextUpdate() throws InterruptedException {
        for (int tried = 0; tried < chats.size(); tried++) {
            Chat c = chats.get(cursor);
            cursor = (cursor + 1) % chats.size();
            if (ready(c)) {
                long u = updateIds.getAndIncrement();
                intake.hand(u, step(c, u));
                return true;
            }
        }
        return false;
    }

    private boolean ready(Chat c) {
        if (!c.waiting) {
            return true;
        }
        Screens.Screen now = screens.of(c.id);
        boolean answered = switch (c.awaits) {
            case TEXT -> now.texts() > c.before.texts() || now.photos() > c.before.photos();
            case PHOTO -> now.photos() > c.before.photos();
            case ANY -> now.answers() > c.before.answers();
        };
        if (answered && System.nanoTime() - now.atNanos() < QUIET.toNanos()) {
            return false;
        }
        if (answered) {
            if (c.awaits == Awaits.PHOTO) {
                count("photos");
            }
            c.waiting = false;
            return true;
        }
        if (System.nanoTime() - c.sentNanos > (c.awaits == Awaits.PHOTO ? PHOTO_PATIENCE : PATIENCE).toNanos()) {
            count("unanswered_" + c.sent);
            c.step = Step.START;
            c.waiting = false;
            return true;
        }
        return false;
    }

    /** The update of {@code c}'s current step, {@code c} then waiting for its answer and on its next step. */
    private String step(Chat c, long u) {
        Screens.Screen screen = screens.of(c.id);
        String json = switch (c.step) {
            case START -> then(c, Step.IMAGES, Awaits.TEXT, BenchUpdates.start(u, c.id));
            case IMAGES -> press(c, screen, "Images", Step.MODEL, Awaits.TEXT, u);
            case MODEL -> {
                screen.button("Nano Banana ·").ifPresent(b -> {
                    c.stale = Optional.of(b);
                    c.staleMessage = screen.messageId();
                });
                yield press(c, screen, "Nano Banana ·", Step.GO, Awaits.TEXT, u);
            }
            case GO -> press(c, screen, "▶ Start", Step.PROMPT, Awaits.TEXT, u);
            case PROMPT -> {
                boolean huge = random.nextInt(HUGE_EVERY) == 0;
                count(huge ? "huge_prompts" : "prompts");
                yield then(c, Step.RATIO, Awaits.TEXT, BenchUpdates.text(u, c.id, huge ? HUGE_PROMPT
                        : "a red fox in the snow, number " + u));
            }
            case RATIO -> press(c, screen, "✓ 1:1", Step.CONFIRM, Awaits.TEXT, u);
            case CONFIRM -> press(c, screen, "✅ Generate", Step.AGAIN, Awaits.PHOTO, u);
            case AGAIN -> press(c, screen, "🔁 Again", Step.CONFIRM_AGAIN, Awaits.TEXT, u);
            case CONFIRM_AGAIN -> screen.button("✅ Generate").isPresent()
                    ? press(c, screen, "✅ Generate", Step.HISTORY, Awaits.PHOTO, u)
                    : screen.button("✓ 1:1").isPresent()
                    ? press(c, screen, "✓ 1:1", Step.CONFIRM_AGAIN, Awaits.TEXT, u)
                    : then(c, Step.STALE, Awaits.TEXT, BenchUpdates.command(u, c.id, "history"));
            case HISTORY -> then(c, Step.STALE, Awaits.TEXT, BenchUpdates.command(u, c.id, "history"));
            case STALE -> c.stale.isPresent()
                    ? then(c, Step.MENU, Awaits.ANY, BenchUpdates.button(u, c.id, c.staleMessage,
                    c.stale.get().data()))
                    : then(c, Step.IMAGES, Awaits.TEXT, BenchUpdates.command(u, c.id, "menu"));
            case MENU -> then(c, Step.IMAGES, Awaits.TEXT, BenchUpdates.command(u, c.id, "menu"));
        };
        c.sentNanos = System.nanoTime();
        return json;
    }

    /** Presses the newest screen's button labelled with {@code label}; without one, {@code /start} again. */
    private String press(Chat c, Screens.Screen screen, String label, Step next, Awaits awaits, long u) {
        Optional<Screens.Button> b = screen.button(label);
        if (b.isEmpty()) {
            count("no_button_" + label.strip());
            return then(c, Step.IMAGES, Awaits.TEXT, BenchUpdates.start(u, c.id));
        }
        return then(c, next, awaits, BenchUpdates.button(u, c.id, screen.messageId(), b.get().data()));
    }

    private String then(Chat c, Step next, Awaits awaits, String json) {
        count("sent_" + c.step);
        c.sent = c.step;
        c.before = screens.of(c.id);
        c.step = next;
        c.awaits = awaits;
        c.waiting = true;
        return json;
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
}
