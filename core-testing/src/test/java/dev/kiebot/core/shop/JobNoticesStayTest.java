package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job's failure notice («❌ gen_1 failed … 2 ₽ returned to your balance») and the answer to a late «✖ Cancel» («gen_1
 * is done already») are the user's record of what happened to his money: «🏠 Menu» under them brings the menu below,
 * as «🔁 Again» beside it brings the order, and the notice stays in the chat. Pressed in place, the menu overwrote the
 * job's number and the refund, as it did the money notices ({@link MoneyNoticesStayTest}).
 */
class JobNoticesStayTest {
    private static final long U = 42;

    private final ShopHarness h = new ShopHarness().startedByAdminAnd(U);

    @Test
    void theMenuAndAgainUnderAFailedJobsNoticeComeBelowItAndLeaveTheRefundInTheChat() {
        h.topUp(U, 10_000);
        Job job = h.runningFoxImage(U);
        h.messenger.drain();
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(job).state()).isEqualTo(JobState.FAILED);
        List<Reply> failed = h.messenger.drain().stream().filter(r -> r.chatId() == U).toList();
        assertThat(failed).as("the failure's notice").anyMatch(r -> r instanceof Reply.SendText t
                && t.text().contains("returned"));

        List<Reply> menu = h.press(U, button(failed, "Menu")).stream().filter(r -> r.chatId() == U).toList();
        assertThat(menu).as("nothing edited in the notice's place").noneMatch(Reply.EditText.class::isInstance);
        assertThat(menu).anyMatch(r -> r instanceof Reply.SendText t && t.text().contains("Main menu"));

        List<Reply> again = h.press(U, button(failed, "Again")).stream().filter(r -> r.chatId() == U).toList();
        assertThat(again).as("the order again, below the notice").noneMatch(Reply.EditText.class::isInstance);
        assertThat(again).anyMatch(r -> r instanceof Reply.SendText t && t.text().contains("fox"));
    }

    @Test
    void theMenuUnderALateCancelsAnswerComesBelowIt() {
        h.topUp(U, 10_000);
        Job job = h.finishedFoxImage(U, new TaskStatus.Succeeded(
                new JobResult(List.of("https://files.example/fox.png"), MediaKind.PHOTO)));
        assertThat(h.stored(job).state()).isIn(JobState.SUCCEEDED, JobState.DELIVERED);
        h.messenger.drain();
        List<Reply> late = h.press(U, CallbackData.evergreen(CallbackAction.CANCEL_JOB, job.id().display())).stream().filter(r -> r.chatId() == U).toList();
        assertThat(late).as("the late cancel's answer").anyMatch(Reply.SendText.class::isInstance);

        List<Reply> menu = h.press(U, button(late, "Menu")).stream().filter(r -> r.chatId() == U).toList();
        assertThat(menu).as("nothing edited in the answer's place").noneMatch(Reply.EditText.class::isInstance);
        assertThat(menu).anyMatch(r -> r instanceof Reply.SendText t && t.text().contains("Main menu"));
    }
}
