package dev.kiebot.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The log check recognises what it must (and leaves masked ids, instance names and ports alone). */
class CleanLogsTest {
    private static boolean flagged(String line) {
        return CleanLogs.FORBIDDEN.stream().anyMatch(p -> p.matcher(line).find());
    }

    @Test
    void leaksAreFlagged() {
        for (String leak : List.of("handling failed for user 5550001", "Key (chat_id)=(7000012) exists",
                "first name User5550001", "payload {\"update_id\":5, \"message\":{}}", "token 1234567:AAH1234567890abcdefghij",
                "key " + E2eWorld.KIE_KEY)) {
            assertThat(flagged(leak)).as(leak).isTrue();
        }
    }

    @Test
    void whatIsAllowedIsNotFlagged() {
        for (String fine : List.of("user ***0001 refunded", "starting kiebot instance e2e-5952957671100",
                "listening on port 41879", "singleton lock 1435800235082214212 acquired", "upd_500001: handled",
                "gen_12 delivered")) {
            assertThat(flagged(fine)).as(fine).isFalse();
        }
    }
}
