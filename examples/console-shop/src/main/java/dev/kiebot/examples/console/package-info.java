/**
 * How a partner embeds {@code core}: {@code ConsoleShop} wires {@code Shop.builder()} with a console
 * messenger, an instant provider and the in-memory stores, and talks to it the way a chat adapter would.
 */
package dev.kiebot.examples.console;
