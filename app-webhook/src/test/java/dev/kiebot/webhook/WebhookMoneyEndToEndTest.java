package dev.kiebot.webhook;

import dev.kiebot.runtime.testing.E2eRunner;
import dev.kiebot.runtime.testing.MoneyScenarios;
import java.time.Clock;
import java.util.Map;

/** Money in and out and the admin's view (issue 10) through the webhook runner. */
class WebhookMoneyEndToEndTest extends MoneyScenarios {

    @Override
    protected E2eRunner start(Map<String, String> env, Clock clock) {
        return WebhookRunner.start(env, clock, world.telegram);
    }
}
