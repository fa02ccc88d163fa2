package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Category;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Core's text of a chat's session, the one a {@link ChatStates} store keeps: every shape comes back as it was saved
 * (a store keeps the text as it is, core-testing's {@code StoresContract} checks that part).
 */
class ChatStateCodecTest {
    @Test
    void everyShapeOfASessionComesBackAsItWasSaved() {
        List<ChatState> shapes = List.of(new ChatState.Menu(), new ChatState.Browsing(Category.VIDEO, 2),
                new ChatState.Viewing("kling/v2-1-pro"),
                new ChatState.Collecting("google/nano-banana-edit", 1, Map.of("prompt", "кот & пёс=друзья;"),
                        Map.of("image_urls", List.of("f1", "f2"))),
                new ChatState.Confirming("z-image", Map.of("prompt", "x", "aspect_ratio", "1:1"), Map.of()),
                new ChatState.TopUp(), new ChatState.ManualAmount(), new ChatState.ManualReceipt(12),
                new ChatState.WritingTicket());
        long v = 1;
        for (ChatState s : shapes) {
            ChatSession session = new ChatSession(v++, s);
            assertThat(readBack(session)).contains(session);
        }
        // an order kept for a top-up, beside a state with keys of its own
        ChatSession waiting = new ChatSession(v, new ChatState.ManualReceipt(12), Optional.of(new ChatState.Confirming(
                "google/nano-banana-edit", Map.of("prompt", "кот & пёс=друзья;", "model", "y"),
                Map.of("image_urls", List.of("f1", "f2")))));
        assertThat(readBack(waiting)).contains(waiting);
        // a long text that may go on in the next message (LongText), beside the order and the state's own keys
        ChatSession going = waiting.next(new ChatState.Collecting("google/nano-banana-edit", 1, Map.of(), Map.of()))
                .withLongText(Optional.of(new LongText(4096, Instant.ofEpochSecond(1_780_000_000), 4096,
                        LongText.Use.FIELD, "prompt", 4100)));
        assertThat(readBack(going)).contains(going);
        // an admin's credit or debit waiting for its press (MoneyConfirmation), beside everything else
        ChatSession confirming = going.withMoney(Optional.of(new MoneyConfirmation(
                false, 5_550_001, 123_456_789_012L, 987_654_321, 1, Instant.ofEpochMilli(1_780_000_000_123L))));
        assertThat(readBack(confirming)).contains(confirming);
        // an admin's /refund waiting for its press: read back as the refund of its job, never as a debit
        ChatSession refunding = going.withMoney(Optional.of(new MoneyConfirmation(
                false, 5_550_001, 9_900, 987_654_321, 1, Instant.ofEpochMilli(1_780_000_000_123L),
                OptionalLong.of(999))));
        assertThat(readBack(refunding)).contains(refunding);
        assertThat(ChatStateCodec.encode(refunding)).as("a build before reads no credit or debit of it")
                .doesNotContain("money.credit=false");
        // with what its screen said (MoneyConfirmation.RefundShown), which its press compares with the job then
        for (MoneyConfirmation.RefundShown said : List.of(new MoneyConfirmation.RefundShown(true, 9_900, 0),
                new MoneyConfirmation.RefundShown(false, 3_300, 6_600))) {
            ChatSession shown = going.withMoney(Optional.of(new MoneyConfirmation(false, 5_550_001, 9_900,
                    987_654_321, 1, Instant.ofEpochMilli(1_780_000_000_123L), OptionalLong.of(999),
                    Optional.of(said))));
            assertThat(readBack(shown)).as(said.toString()).contains(shown);
        }
        // an admin's /refund_stars waiting for its press: read back as the refund of its payment, never as a debit,
        // the charge id as Telegram makes them (long, with characters a form-encoded value must escape)
        ChatSession starsRefunding = going.withMoney(Optional.of(new MoneyConfirmation(
                false, 5_550_001, 7_500, 987_654_322, 1, Instant.ofEpochMilli(1_780_000_000_123L),
                OptionalLong.empty(), Optional.empty(), Optional.of("stxCharge_0123456789abcdef=&;x-"))));
        assertThat(readBack(starsRefunding)).contains(starsRefunding);
        assertThat(readBack(starsRefunding).orElseThrow().money().orElseThrow().starsRefund()).isTrue();
        assertThat(ChatStateCodec.encode(starsRefunding)).as("a build before reads no credit or debit of it")
                .doesNotContain("money.credit=false");
        // the album whose first file was taken as a receipt (ReceiptAlbum), for a request or asked which
        ChatSession album = confirming.withReceiptAlbum(Optional.of(new ReceiptAlbum(
                "13&7=;x", OptionalLong.of(12))));
        assertThat(readBack(album)).contains(album);
        ChatSession asked = album.withReceiptAlbum(Optional.of(new ReceiptAlbum(
                "13", OptionalLong.empty())));
        assertThat(readBack(asked)).contains(asked);
        // the return just welcomed back (ChatSession.welcomedBack), beside everything else
        ChatSession back = asked.withWelcomedBack(Optional.of(Instant.ofEpochMilli(1_780_000_000_456L)));
        assertThat(readBack(back)).contains(back);
        // a /paysupport ticket written a moment ago (TicketJustOpened), with and without the album that followed it
        ChatSession ticket = back.withTicket(Optional.of(new TicketJustOpened(
                Instant.ofEpochMilli(1_780_000_000_789L))));
        assertThat(readBack(ticket)).contains(ticket);
        ChatSession ticketAlbum = ticket.withTicket(Optional.of(new TicketJustOpened(
                Instant.ofEpochMilli(1_780_000_000_789L), Optional.of("13&7=;x"))));
        assertThat(readBack(ticketAlbum)).contains(ticketAlbum);
        ChatSession pressed = readBack(confirming.withMoney(Optional.empty())).orElseThrow();
        assertThat(pressed.money()).as("pressed: gone").isEmpty();
        assertThat(pressed.receiptAlbum()).as("the next event: gone").isEmpty();
        assertThat(pressed.welcomedBack()).as("the next event: gone").isEmpty();
        assertThat(pressed.ticket()).as("not kept: none").isEmpty();
    }

    @Test
    void aTextTheCodecCannotReadStartsTheChatOver() {
        for (String unreadable : List.of("", "menu", "x;menu;", "3;no_such_state;", "3;viewing;")) {
            assertThat(ChatStateCodec.decode(unreadable)).as(unreadable).isEmpty();
        }
    }

    /** The session as a store gives it back: the text {@link ChatStateCodec#encode} wrote, decoded. */
    private static Optional<ChatSession> readBack(ChatSession session) {
        return ChatStateCodec.decode(ChatStateCodec.encode(session));
    }
}
