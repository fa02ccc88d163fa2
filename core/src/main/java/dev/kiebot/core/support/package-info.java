/**
 * Payment support ({@code /paysupport}, a duty of every bot that sells for Stars): a user's problem becomes a
 * {@code SupportTicket} that every admin gets with the user's payments. Port: {@code SupportTickets}.
 */
package dev.kiebot.core.support;
