package dev.kiebot.runtime.testing;

import dev.kiebot.runtime.Kiebot;

/** A started runner of the module under test, as the end-to-end scenarios drive it. */
public interface E2eRunner extends AutoCloseable {
    Kiebot bot();

    /** Delivers a raw update the way this runner receives them. */
    void deliver(String updateJson);

    @Override
    void close();
}
