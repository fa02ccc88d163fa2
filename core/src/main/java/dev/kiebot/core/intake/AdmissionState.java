package dev.kiebot.core.intake;

import dev.kiebot.core.pacing.TokenBucket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the inbound limit remembers of one user: the token bucket, until when refusals stay quiet, and the
 * last admitted button press. A store keeps its components as given and makes it again with the constructor.
 *
 * @param bucket      the user's token bucket
 * @param quietUntil  refusals before this are not told
 * @param lastPress   the last admitted button press's data; under a policy that remembers several
 *                    ({@link AdmissionPolicy#repeatsKept}), a text of several lines: that press's data, then the
 *                    earlier ones still remembered, each with its time. A store keeps it as given (a text of at most
 *                    {@value AdmissionPolicy#MOST_REPEATS_KEPT} lines)
 * @param lastPressAt when it was admitted
 */
public record AdmissionState(TokenBucket bucket, Instant quietUntil, Optional<String> lastPress,
                             Instant lastPressAt) {

    AdmissionState with(TokenBucket b) {
        return new AdmissionState(b, quietUntil, lastPress, lastPressAt);
    }

    AdmissionState quietUntil(Instant until) {
        return new AdmissionState(bucket, until, lastPress, lastPressAt);
    }

    /** An admitted press remembered for the repeat window: its data as kept ({@link #keptForm}) and its time. */
    record Press(String data, Instant at) {
    }

    /** Between a remembered press's time and its data, on the lines after the first. */
    private static final char TIME_END = ' ';

    /**
     * The data as remembered under a policy keeping {@code kept} presses: on one line when there are several, each
     * press being a line of {@link #lastPress}; as given for one.
     */
    static String keptForm(String data, int kept) {
        return kept == 1 ? data : data.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * The presses remembered, newest first: {@link #lastPress} at {@link #lastPressAt}, and, when the policy keeps
     * more than one, the earlier ones on the lines after it (a state written under a policy keeping one has none).
     */
    List<Press> presses(int kept) {
        if (lastPress.isEmpty()) {
            return List.of();
        }
        if (kept == 1) {
            return List.of(new Press(lastPress.get(), lastPressAt));
        }
        String[] lines = lastPress.get().split("\n", -1);
        List<Press> out = new ArrayList<>();
        out.add(new Press(lines[0], lastPressAt));
        for (int i = 1; i < lines.length && out.size() < kept; i++) {
            int end = lines[i].indexOf(TIME_END);
            if (end > 0) {
                try {
                    out.add(new Press(lines[i].substring(end + 1), Instant.ofEpochMilli(Long.parseLong(
                            lines[i].substring(0, end)))));
                } catch (NumberFormatException notOurs) {
                    // a line no policy wrote: forgotten
                }
            }
        }
        return out;
    }

    /**
     * The state after a press of {@code data} was admitted at {@code at}: it is the last press, and, under a policy
     * keeping {@code kept} presses, the ones in {@code before} (still in their window) stay behind it, the oldest
     * forgotten beyond {@code kept}.
     */
    AdmissionState pressed(String data, Instant at, List<Press> before, int kept) {
        String shown = keptForm(data, kept);
        StringBuilder text = new StringBuilder(shown);
        before.stream().filter(p -> !p.data().equals(shown)).limit(kept - 1L).forEach(p -> text.append('\n')
                .append(p.at().toEpochMilli()).append(TIME_END).append(p.data()));
        return new AdmissionState(bucket, quietUntil, Optional.of(text.toString()), at);
    }
}
