package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UpdateQueueTest {

    private static List<String> json(List<Long> ids) {
        return ids.stream().map(id -> "{\"update_id\":" + id + "}").toList();
    }

    @Test
    void servesAtMostOneHundredPerCallAndDropsWhatAnOffsetConfirms() throws InterruptedException {
        UpdateQueue q = new UpdateQueue(1000);
        List<Long> ids = LongStream.rangeClosed(1, 150).boxed().toList();
        q.addAll(ids, json(ids));

        String first = q.poll(0, 1000, Duration.ZERO);
        assertThat(first).startsWith("[{\"update_id\":1}").endsWith("{\"update_id\":100}]");
        assertThat(q.drainedAtNanos()).isEmpty();

        String second = q.poll(101, 100, Duration.ZERO);
        assertThat(second).startsWith("[{\"update_id\":101}").endsWith("{\"update_id\":150}]");
        assertThat(q.drainedAtNanos()).isEmpty();

        assertThat(q.poll(151, 100, Duration.ZERO)).isEqualTo("[]");
        assertThat(q.drainedAtNanos()).isPresent();
    }

    @Test
    void countsWhatTheOffsetsConfirmedOnceEach() throws InterruptedException {
        UpdateQueue q = new UpdateQueue(1000);
        List<Long> ids = LongStream.rangeClosed(1, 150).boxed().toList();
        q.addAll(ids, json(ids));

        q.poll(0, 100, Duration.ZERO);
        assertThat(q.confirmed()).isZero();
        q.poll(101, 100, Duration.ZERO);
        assertThat(q.confirmed()).isEqualTo(100);
        q.poll(101, 100, Duration.ZERO);
        assertThat(q.confirmed()).isEqualTo(100);
        q.poll(151, 100, Duration.ZERO);
        assertThat(q.confirmed()).isEqualTo(150);
    }

    @Test
    void aWaitingLongPollReturnsWhenUpdatesArrive() throws InterruptedException {
        UpdateQueue q = new UpdateQueue(10);
        Thread producer = new Thread(() -> q.addAll(List.of(7L), json(List.of(7L))));
        producer.start();

        assertThat(q.poll(0, 100, Duration.ofSeconds(50))).isEqualTo("[{\"update_id\":7}]");
        producer.join();
    }

    @Test
    void refusesMoreThanItsCapacity() {
        UpdateQueue q = new UpdateQueue(2);
        List<Long> ids = List.of(1L, 2L, 3L);

        assertThatThrownBy(() -> q.addAll(ids, json(ids))).hasMessageContaining("update queue full");
    }
}
