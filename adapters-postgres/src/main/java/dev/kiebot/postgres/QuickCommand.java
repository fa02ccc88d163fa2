package dev.kiebot.postgres;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short external command whose output does not matter, only whether it succeeded in time. */
final class QuickCommand {
    private QuickCommand() {
    }

    /** @return true when {@code command} exited 0 within {@code waitMillis}; a slower one is killed */
    static boolean succeeds(List<String> command, long waitMillis) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
