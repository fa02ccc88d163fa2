package dev.kiebot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.shop.ExternalTopUps;
import org.junit.jupiter.api.Test;

/**
 * {@code ExternalTopUps.credit} gives money on the caller's word alone, and {@code ExternalTopUps.refunded} takes it,
 * so only a partner's code, after verifying its payment provider's notification, may call them: no class of kiebot
 * does, so that no door (a Telegram update, a button, an admin command, the Kie callback, the webhook runner's routes)
 * can lead to them.
 */
class ExternalTopUpsCallersTest {

    @Test
    void noClassOfKiebotCreditsAPartnersPayment() {
        noClasses().should().callMethod(ExternalTopUps.class, "credit", ExternalPayment.class)
                .because("core cannot verify a partner's payment provider: only the partner's code, after checking "
                        + "the provider's signature, reports a payment")
                .check(DependencyRulesTest.KIEBOT);
    }

    @Test
    void noClassOfKiebotTakesBackAPartnersPayment() {
        noClasses().should().callMethod(ExternalTopUps.class, "refunded", ExternalRefund.class)
                .because("core cannot verify a partner's payment provider: only the partner's code, after checking "
                        + "the provider's signature, reports a payment given back, which takes money from a wallet")
                .check(DependencyRulesTest.KIEBOT);
    }
}
