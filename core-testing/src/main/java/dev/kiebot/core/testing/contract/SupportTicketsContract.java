package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.support.TicketAnswer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules of the support ticket store and its answers. Extend it and return a fresh, empty store. */
public abstract class SupportTicketsContract {
    /** When the tests' first ticket is opened: their instants are counted from it. */
    protected static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    /** The store under test: {@link #create}'s answer for this test. */
    protected SupportTickets store;

    /**
     * A fresh, empty store, called before each test. It needs no clock: every instant comes with the call.
     *
     * @return the store under test, with no ticket
     */
    protected abstract SupportTickets create();

    /** For your test class that extends it. */
    protected SupportTicketsContract() {
    }

    @BeforeEach
    void freshStore() {
        store = create();
    }

    @Test
    void aTicketIsOpenedOncePerKeyAndKeptAsWritten() {
        SupportTicket t = store.open("upd:1", 42, "Paid 50 ⭐, got nothing; gen_12", T0);
        assertThat(t.userId()).isEqualTo(42);
        assertThat(t.text()).isEqualTo("Paid 50 ⭐, got nothing; gen_12");
        assertThat(t.createdAt()).isEqualTo(T0);
        assertThat(store.open("upd:1", 42, "again", T0.plusSeconds(1))).isEqualTo(t);
        SupportTicket second = store.open("upd:2", 42, "second", T0.plusSeconds(2));
        assertThat(second.id()).isNotEqualTo(t.id());
        store.open("upd:3", 43, "someone else", T0.plusSeconds(3));
        assertThat(store.recent(42, 10)).extracting(SupportTicket::id).containsExactly(second.id(), t.id());
        assertThat(store.recent(42, 1)).extracting(SupportTicket::id).containsExactly(second.id());
        assertThat(store.recent(44, 10)).isEmpty();
    }

    @Test
    void everyUsersTicketsAreListedNewestFirstAndFoundByNumber() {
        assertThat(store.latest(10)).isEmpty();
        SupportTicket first = store.open("upd:1", 42, "first", T0);
        SupportTicket second = store.open("upd:2", 43, "second", T0.plusSeconds(1));
        SupportTicket third = store.open("upd:3", 42, "third", T0.plusSeconds(2));
        assertThat(store.latest(10)).containsExactly(third, second, first);
        assertThat(store.latest(2)).containsExactly(third, second);
        assertThat(store.latest(0)).isEmpty();
        assertThat(store.find(second.id())).contains(second);
        assertThat(store.find(third.id() + 1000)).isEmpty();
    }

    @Test
    void aTicketsAnswersAreKeptWithItOldestFirst() {
        SupportTicket first = store.open("upd:1", 42, "first", T0);
        SupportTicket second = store.open("upd:2", 43, "second", T0.plusSeconds(1));
        assertThat(store.answers(first.id())).isEmpty();
        TicketAnswer a = new TicketAnswer(first.id(), 900, "Checked: the payment is in.\nThank you {0}!",
                T0.plusSeconds(60));
        TicketAnswer b = new TicketAnswer(first.id(), 901, "And the refund is on its way.", T0.plusSeconds(120));
        TicketAnswer other = new TicketAnswer(second.id(), 900, "Yours too.", T0.plusSeconds(90));
        store.answered(a);
        store.answered(other);
        store.answered(b);
        assertThat(store.answers(first.id())).containsExactly(a, b);
        assertThat(store.answers(second.id())).containsExactly(other);
        assertThat(store.answers(second.id() + 1000)).isEmpty();
    }
}
