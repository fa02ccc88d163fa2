package dev.kiebot.core.intake;

import java.time.Duration;

/** Whether one inbound action of a user may act, decided by {@link AdmissionPolicy#decide}. */
public sealed interface Admission {

    /** Within the limits: handle it. */
    record Admitted() implements Admission {
    }

    /**
     * Over the per-user limit: nothing happens. The user is told to wait only on the first refusal of a
     * window ({@code tell}), so a flood gets one polite answer, not one per message.
     *
     * @param retryAfter how long until the user may act again, in whole seconds
     * @param tell       whether to tell him so (the first refusal of its window)
     */
    record TooFast(Duration retryAfter, boolean tell) implements Admission {
    }

    /** The same button pressed again within the repeat window: answer the press, do nothing else. */
    record RepeatedPress() implements Admission {
    }
}
