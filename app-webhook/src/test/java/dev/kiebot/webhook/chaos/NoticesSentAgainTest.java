package dev.kiebot.webhook.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kill -9 test's count of top-up and refund notices and of results ({@link CrashChecks#notices},
 * {@link CrashChecks#sentAtLeastOnce}): a notice Telegram took just before a kill and took again after it is one reply
 * sent at least once (README), not a second notice; any other copy counts.
 */
class NoticesSentAgainTest {
    private static final Instant KILL = Instant.parse("2026-12-07T12:00:00Z");
    private static final String NOTICE = "✅ Balance topped up: +75.00 ₽. Your balance is now 160.00 ₽.";

    private static CrashChecks.Sent at(long secondsFromTheKill, String text) {
        return new CrashChecks.Sent(KILL.plusSeconds(secondsFromTheKill), text);
    }

    @Test
    void aNoticeOnTheWireAtAKillAndSentAgainAfterItIsOneNotice() {
        assertThat(CrashChecks.notices(List.of(at(-1, NOTICE), at(20, NOTICE)), List.of(KILL))).isEqualTo(1);
    }

    @Test
    void twoCopiesWithNoKillBetweenThemAreTwo() {
        assertThat(CrashChecks.notices(List.of(at(-30, NOTICE), at(-29, NOTICE)), List.of(KILL))).isEqualTo(2);
        assertThat(CrashChecks.notices(List.of(at(-1, NOTICE), at(20, NOTICE)), List.of())).isEqualTo(2);
    }

    @Test
    void aCopyLongAfterTheKillsLastSendIsASecondNotice() {
        // taken a minute before the kill: its settle was long committed, so the copy after it is a notice of its own
        assertThat(CrashChecks.notices(List.of(at(-60, NOTICE), at(20, NOTICE)), List.of(KILL))).isEqualTo(2);
    }

    @Test
    void anotherBalanceAfterTheKillIsAnotherNotice() {
        assertThat(CrashChecks.notices(List.of(at(-1, NOTICE), at(20, NOTICE.replace("160.00", "235.00"))),
                List.of(KILL))).isEqualTo(2);
    }

    private static final String REFUND = "💸 3.00 ₽ returned to your balance.";

    @Test
    void twoRefundNoticesOfOnePriceAcrossAKillAreOneJobsSentAgainOrTwoJobs() {
        List<CrashChecks.Sent> across = List.of(at(-1, REFUND), at(20, REFUND));
        assertThat(CrashChecks.sentAtLeastOnce(across, 1, List.of(KILL))).as("one notice sent again").isTrue();
        assertThat(CrashChecks.sentAtLeastOnce(across, 2, List.of(KILL))).as("two jobs of one price").isTrue();
    }

    @Test
    void aResultSentAgainAtAKillIsOneAndAnotherJobsFileIsAnother() {
        String fox = "https://kie.example/fake-task-3.png Nano Banana";
        assertThat(CrashChecks.sentAtLeastOnce(List.of(at(-1, fox), at(20, fox)), 1, List.of(KILL))).isTrue();
        assertThat(CrashChecks.sentAtLeastOnce(List.of(at(-1, fox), at(20, fox.replace("-3", "-4"))), 1,
                List.of(KILL))).as("two jobs' results for one delivered").isFalse();
    }

    @Test
    void aRefundNoticeTooManyOrTooFewFails() {
        assertThat(CrashChecks.sentAtLeastOnce(List.of(at(-30, REFUND), at(-29, REFUND)), 1, List.of(KILL)))
                .as("two copies with no kill between them").isFalse();
        assertThat(CrashChecks.sentAtLeastOnce(List.of(at(-1, REFUND), at(20, REFUND)), 1, List.of()))
                .as("no kill at all").isFalse();
        assertThat(CrashChecks.sentAtLeastOnce(List.of(at(-1, REFUND), at(20, REFUND)), 3, List.of(KILL)))
                .as("a failed job not told").isFalse();
        assertThat(CrashChecks.sentAtLeastOnce(List.of(at(-1, REFUND), at(20, REFUND), at(21, REFUND)), 1,
                List.of(KILL))).as("one copy before the kill explains one after it, not two").isFalse();
    }

    @Test
    void oneCopyBeforeTheKillExplainsOneCopyAfterIt() {
        assertThat(CrashChecks.notices(List.of(at(-1, NOTICE), at(20, NOTICE), at(21, NOTICE)), List.of(KILL)))
                .isEqualTo(2);
    }
}
