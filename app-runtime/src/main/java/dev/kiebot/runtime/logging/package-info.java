/**
 * The log as the operator reads it, on Logback, set up in code by {@code ConsoleLogging} (an operator's
 * {@code -Dlogback.configurationFile} still wins): {@code SecretMasking} is the
 * {@code %mask} converter that replaces every secret the configuration registered, and anything shaped like a bot
 * token, in every line (the last line of defence behind code that never logs a secret); {@code RootLogLevel}
 * applies {@code LOG_LEVEL}, and {@code JsonLines} switches the console to one JSON object per line for
 * {@code LOG_FORMAT=json}, masked the same way. Logback reads no environment itself: the variables are read by
 * {@code config}, which registers the secrets as it reads them (before any line of a start, a failed one too), and
 * {@code Kiebot} applies the level and format here first thing at start. What each line says is decided by the
 * code that writes it; nothing here adds or drops lines.
 */
package dev.kiebot.runtime.logging;
