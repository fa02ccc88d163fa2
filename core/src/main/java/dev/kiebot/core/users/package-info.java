/**
 * Users and their free daily allowance. Ports: {@code Users} (created on first sight, language, terms,
 * blocked, banned by an admin: {@code Ban}) and {@code FreeUsage} ({@code tryUse} is the authority on "free use left today", for the user and, with a
 * cap, for every user together; idempotent per job, safe under concurrency).
 *
 * <p>For a partner: implement {@code Users} and {@code FreeUsage} in your {@code Stores} (core-testing's
 * {@code StoresContract} checks both).
 */
package dev.kiebot.core.users;
