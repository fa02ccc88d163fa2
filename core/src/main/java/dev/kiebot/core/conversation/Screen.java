package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.Keyboard;

/** One rendered screen: what a message says and its buttons. */
record Screen(String text, Keyboard keyboard) {
}
