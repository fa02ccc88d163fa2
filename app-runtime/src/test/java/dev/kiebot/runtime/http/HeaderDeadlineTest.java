package dev.kiebot.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.junit.jupiter.api.Test;

/** The look for late headers runs while connections are open only (issue 13: an idle bot's CPU). */
class HeaderDeadlineTest {
    /** The looks scheduled and not yet run. */
    private final List<Runnable> scheduled = new ArrayList<>();
    private final Scheduler scheduler = (Scheduler) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Scheduler.class}, (proxy, method, args) -> {
                if (method.getName().equals("schedule")) {
                    scheduled.add((Runnable) args[0]);
                    return (Scheduler.Task) () -> true;
                }
                return method.getReturnType() == boolean.class ? false : null;
            });

    private static Connection connection() {
        return (Connection) Proxy.newProxyInstance(HeaderDeadlineTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBytesIn" -> 0L;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
    }

    private void runTheLook() {
        assertThat(scheduled).hasSize(1);
        scheduled.remove(0).run();
    }

    @Test
    void looksOnlyWhileAConnectionIsOpen() throws Exception {
        HeaderDeadline deadline = new HeaderDeadline(Duration.ofSeconds(10), () -> scheduler,
                new SimpleMeterRegistry());
        deadline.start();
        try {
            assertThat(scheduled).as("no connection: nothing to look at").isEmpty();

            Connection telegram = connection();
            deadline.onOpened(telegram);
            Connection other = connection();
            deadline.onOpened(other);
            runTheLook();
            runTheLook(); // open still: looked again
            deadline.onClosed(telegram);
            runTheLook();
            deadline.onClosed(other);
            runTheLook();
            assertThat(scheduled).as("the last connection closed: no more looks").isEmpty();

            deadline.onOpened(connection());
            assertThat(scheduled).as("a connection again: the looks again").hasSize(1);
        } finally {
            deadline.stop();
        }
    }
}
