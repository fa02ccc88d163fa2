package dev.kiebot.runtime.smoke;

import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Outbox;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the smoke test's outcome goes: one log line (an error when it failed) and a message to every admin. */
public final class SmokeReport implements Consumer<SmokeTest.Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(SmokeTest.class);
    private final String model;
    private final Set<Long> admins;
    private final Users users;
    private final Outbox outbox;
    private final Texts texts = new Texts();

    public SmokeReport(String model, Set<Long> admins, Users users, Outbox outbox) {
        this.model = model;
        this.admins = Set.copyOf(admins);
        this.users = users;
        this.outbox = outbox;
    }

    @Override
    public void accept(SmokeTest.Outcome o) {
        String timings = String.join(" · ", o.timings()) + (o.timings().isEmpty() ? "" : " · ") + "total "
                + SmokeTest.seconds(o.total());
        if (o.passed()) {
            LOG.info("smoke test passed: {} through Kie; {}; {}", model, o.detail(), timings);
        } else {
            LOG.error("smoke test FAILED at {} ({}): {}; {}", step(o), model, o.detail(), timings);
        }
        for (long admin : admins) {
            String lang = users.find(admin).map(User::language).orElse("ru");
            String text = o.passed() ? texts.get(lang, Msg.ADMIN_SMOKE_PASSED, model, timings)
                    : texts.get(lang, Msg.ADMIN_SMOKE_FAILED, o.failedAt().map(s -> texts.get(lang, words(s))).orElse("-"),
                            model, o.detail(), timings);
            outbox.send(new Reply.SendText(admin, text, Keyboard.NONE));
        }
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
