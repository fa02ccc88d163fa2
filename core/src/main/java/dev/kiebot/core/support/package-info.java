/**
 * Payment support ({@code /paysupport}, a duty of every bot that sells for Stars): a user's problem becomes a
 * {@code SupportTicket} that every admin gets with the user's payments. Port: {@code SupportTickets}.
 *
 * <p>For a partner: implement {@code SupportTickets} (core-testing's {@code SupportTicketsContract} checks it) and
 * name admins ({@code ShopSettings.withAdmins}) to read the tickets.
 */
package dev.kiebot.core.support;
