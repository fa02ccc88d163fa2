package dev.kiebot.examples.console;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link Messenger} that prints what the bot says. Your adapter sends the same {@link Reply}s to your chat
 * platform and answers with what happened ({@link Delivery}): a message id lets the shop edit a job's status
 * message later.
 *
 * <p>A console always takes what it is given, so this answers {@link Delivery.Sent} alone. A platform does not, and
 * what your {@code send} answers decides what the shop does next (kiebot's {@code TelegramMessenger} does all of it):
 * <ul>
 *   <li>a short passing failure (a timeout before the request went out, a 5xx, a 429 with a short wait): retry
 *       inside {@code send}, then answer by the last try;</li>
 *   <li>the platform unreachable for longer than your retries, or asking to wait longer than you wait on a sender
 *       thread (a 429 with a long {@code retry_after}): {@link Delivery.Deferred} with that wait; the shop keeps the
 *       reply first in its chat and calls {@code send} with it again then, for up to a day;</li>
 *   <li>the user blocked the bot (Telegram's 403): {@link Delivery.Blocked}, and the user is marked inactive;</li>
 *   <li>media whose URL answers 404 or 410 when you (or the platform) fetch it: {@link Delivery.Gone}; for a job's
 *       result the shop gives its price back and tells the user, rather than sending a link to nothing;</li>
 *   <li>the request went out and no answer came (the connection dropped): {@link Delivery.Uncertain}, never sent
 *       again, as it may have arrived (once more only when your {@code heldFor} said the platform was down);</li>
 *   <li>anything the platform refused for good (a 400, a text too long): {@link Delivery.Failed}, logged and
 *       dropped (a job's result goes once more, as its link).</li>
 * </ul>
 * Never throw for a delivery problem, and never return {@code null}: what {@code send} throws is logged naming your
 * messenger and taken as a {@code Deferred} (tried again 5 s later, the pause doubling up to two minutes, for up to a
 * day; a job's result one of whose tries threw is settled as {@code Uncertain}, its price kept), and a {@code null}
 * as an {@code Uncertain}: not sent again. {@code heldFor}, left out here, is for a platform that can tell it is down
 * (the shop then holds every reply until it is back, with no try spent).
 */
public final class ConsoleMessenger implements Messenger {
    private final PrintStream out;
    private long nextMessageId = 1;
    private Keyboard lastKeyboard = Keyboard.NONE;

    public ConsoleMessenger(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized Delivery send(Reply reply) {
        if (reply instanceof Reply.SendText t) {
            show("bot", t.text(), t.keyboard());
        } else if (reply instanceof Reply.EditText e) {
            show("bot (edits #" + e.messageId() + ")", e.text(), e.keyboard());
            return new Delivery.Sent(Optional.of(e.messageId()), List.of());
        } else if (reply instanceof Reply.SendMedia m) {
            out.println("bot sends " + m.kind() + ": " + m.source() + " — " + m.caption());
        } else if (reply instanceof Reply.UploadMedia u) {
            out.println("bot uploads " + u.kind() + ": " + u.fileName() + " — " + u.caption());
        } else if (reply instanceof Reply.AnswerCallback a) {
            a.text().ifPresent(t -> out.println("bot (toast): " + t));
            return new Delivery.Sent(Optional.empty(), List.of()); // no message of its own
        } else {
            // what a console has no use for (a "typing…" action; invoices, as it takes no Stars) is Sent, not Failed
            return new Delivery.Sent(Optional.empty(), List.of());
        }
        return new Delivery.Sent(Optional.of(nextMessageId++), List.of());
    }

    private void show(String who, String text, Keyboard keyboard) {
        out.println(who + ": " + text);
        if (!keyboard.isEmpty()) {
            lastKeyboard = keyboard;
            // a link button opens its address on the user's side and sends the bot nothing: shown with it
            out.println("    " + keyboard.buttons().stream()
                    .map(b -> "[" + b.text() + b.url().map(u -> " → " + u).orElse("") + "]")
                    .collect(Collectors.joining(" ")));
            notifyAll(); // a tap may be waiting for one of these buttons
        }
    }

    /**
     * The callback data of the newest button whose label contains {@code label}: what a tap would send. Replies are
     * delivered by the shop's background work (ShopWork), a moment after the update that caused them, so this waits for the
     * button up to {@code patience}.
     *
     * @throws IllegalStateException when no such button came
     */
    public synchronized String tap(String label, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<String> data = lastKeyboard.buttons().stream().filter(b -> b.text().contains(label))
                    .map(Button::data).flatMap(Optional::stream).findFirst();
            long left = deadline - System.nanoTime();
            if (data.isPresent() || left <= 0) {
                return data.orElseThrow(() -> new IllegalStateException("no button '" + label + "' on screen"));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the button '" + label + "'");
            }
        }
    }
}
