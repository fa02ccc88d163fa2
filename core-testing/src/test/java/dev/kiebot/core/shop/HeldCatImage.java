package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.util.List;
import java.util.Map;

/** A paid image job started straight through the shop's generations (no conversation): held, not yet submitted. */
final class HeldCatImage {
    private HeldCatImage() {
    }

    static Job start(ShopHarness h, User user, long chatId) {
        return start(h, user, chatId, Map.of());
    }

    /** As {@link #start(ShopHarness, User, long)}, with input files (Telegram file ids, by field). */
    static Job start(ShopHarness h, User user, long chatId, Map<String, List<String>> files) {
        Generations.Start s = h.shop.generations().start(user, chatId,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), files, 300, false));
        return ((Generations.Start.Started) s).job();
    }
}
