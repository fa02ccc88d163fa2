/**
 * How a partner embeds {@code core} and runs it safely: {@code ConsoleShop} wires {@code Shop.builder()} with a
 * console messenger, an instant provider and PostgreSQL stores ({@code DatabaseChoice}), records each update once
 * before it is handled (core's {@code Inbox}, so that a re-delivery is dropped), runs the shop's background work (core's
 * {@code ShopWork}) and stops in order; {@code Main} talks to it from the terminal.
 */
package dev.kiebot.examples.console;
