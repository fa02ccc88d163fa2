package dev.kiebot.runtime.smoke;

import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Outbox;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.Users;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the smoke test's outcome goes: one log line (an error when it failed) and a message to every admin. */
public final class SmokeReport implements Consumer<SmokeTest.Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(SmokeTest.class);
    private final String model;
    private final Set<Long> admins;
    private final Users users;
    private final Outbox outbox;
    private final Texts texts;

    /**
     * @param texts the shop's ({@code Shop.texts()}): the report reads as the shop's other alerts do, in the words
     *              its own texts give ({@code TEXTS_FILE})
     */
    public SmokeReport(String model, Set<Long> admins, Users users, Outbox outbox, Texts texts) {
        this.model = model;
        this.admins = Set.copyOf(admins);
        this.users = users;
        this.outbox = outbox;
        this.texts = texts;
    }

    @Override
    public void accept(SmokeTest.Outcome o) {
        String logged = Stream.concat(o.timings().stream().map(SmokeTest.Timing::english),
                Stream.of("total " + SmokeTest.seconds(o.total()))).collect(Collectors.joining(" · "));
        if (o.passed()) {
            LOG.info("smoke test passed: {} through Kie; {}; {}", model, o.detail(), logged);
        } else {
            LOG.error("smoke test FAILED at {} ({}): {}; {}", step(o), model, o.detail(), logged);
        }
        for (long admin : admins) {
            String lang = users.languageOf(admin);
            String timings = timings(lang, o);
            String text = o.passed() ? texts.get(lang, Msg.ADMIN_SMOKE_PASSED, model, timings)
                    : texts.get(lang, Msg.ADMIN_SMOKE_FAILED, o.failedAt().map(s -> texts.get(lang, words(s))).orElse("-"),
                            model, o.detail(), timings);
            outbox.send(new Reply.SendText(admin, text, Keyboard.NONE));
        }
    }

    /** Each step's time in the admin's words: «резерв цены 0,03 с · задача в Kie 0,41 с · … · всего 9,98 с». */
    private String timings(String lang, SmokeTest.Outcome o) {
        return Stream.concat(o.timings().stream().map(t -> texts.get(lang, words(t.what()), seconds(lang, t.took()),
                t.count())), Stream.of(texts.get(lang, Msg.ADMIN_SMOKE_TOOK_TOTAL, seconds(lang, o.total()))))
                .collect(Collectors.joining(" · "));
    }

    /** «0,34 с» / "0.34 s", never broken across lines. */
    static String seconds(String lang, Duration d) {
        return Plural.withUnit(Plural.decimal(lang, d.toMillis() / 1000.0, 2), "en".equals(lang) ? "s" : "с");
    }

    /** What a timing measured, in the admin's words; exhaustive, so a new measure cannot be reported without them. */
    static Msg words(SmokeTest.Measure measure) {
        return switch (measure) {
            case HOLD -> Msg.ADMIN_SMOKE_TOOK_HOLD;
            case CREATE_TASK -> Msg.ADMIN_SMOKE_TOOK_CREATE_TASK;
            case CALLBACK -> Msg.ADMIN_SMOKE_TOOK_CALLBACK;
            case RESULT -> Msg.ADMIN_SMOKE_TOOK_RESULT;
            case DOWNLOAD -> Msg.ADMIN_SMOKE_TOOK_DOWNLOAD;
        };
    }

    /** The step in the admin's words; exhaustive, so a new step cannot be reported without them. */
    static Msg words(SmokeTest.Step step) {
        return switch (step) {
            case HOLD -> Msg.ADMIN_SMOKE_STEP_HOLD;
            case CREATE_TASK -> Msg.ADMIN_SMOKE_STEP_CREATE_TASK;
            case RESULT -> Msg.ADMIN_SMOKE_STEP_RESULT;
            case DOWNLOAD -> Msg.ADMIN_SMOKE_STEP_DOWNLOAD;
        };
    }

    /** The step as the log names it, for the operator reading the log. */
    private static String step(SmokeTest.Outcome o) {
        return o.failedAt().map(s -> s.name().toLowerCase(Locale.ROOT).replace('_', ' ')).orElse("-");
    }
}
