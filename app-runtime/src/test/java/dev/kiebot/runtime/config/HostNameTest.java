package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@code INSTANCE_NAME}'s default: the machine's name, which bash does not export as {@code HOSTNAME}. */
class HostNameTest {
    private static final String BY_PID = "kiebot-" + ProcessHandle.current().pid();

    /**
     * Found by an operator review: under {@code ./kiebot} (bash, no exported {@code HOSTNAME}) the instance was
     * {@code kiebot-<pid>}, a new name at every restart, where the README promised the host name.
     */
    @Test
    void withoutInstanceNameOrHostnameTheInstanceIsNamedAfterTheMachine() throws UnknownHostException {
        Settings s = Settings.fromEnv(TestEnvironment.with());

        assertThat(s.instanceName()).isEqualTo(InetAddress.getLocalHost().getHostName()).isNotEqualTo(BY_PID);
    }

    @Test
    void instanceNameAndThenHostnameStillWin() {
        assertThat(Settings.fromEnv(TestEnvironment.with("HOSTNAME", "box-7")).instanceName()).isEqualTo("box-7");
        assertThat(Settings.fromEnv(TestEnvironment.with("HOSTNAME", "box-7", "INSTANCE_NAME", "bot-a"))
                .instanceName()).isEqualTo("bot-a");
    }

    @Test
    void aResolverThatFailsOrHangsLeavesTheProcessIdAsTheName() throws InterruptedException {
        assertThat(HostName.of(() -> {
            throw new UnknownHostException("no such host");
        }, Duration.ofSeconds(5))).isEqualTo(BY_PID);
        assertThat(HostName.of(() -> " ", Duration.ofSeconds(5))).isEqualTo(BY_PID);
        CountDownLatch never = new CountDownLatch(1);
        try {
            assertThat(HostName.of(() -> {
                never.await();
                return "too-late";
            }, Duration.ofMillis(50))).isEqualTo(BY_PID);
        } finally {
            never.countDown();
        }
    }
}
