/**
 * Operator commands, run from either runner jar instead of the bot ({@code java -jar app-polling.jar <command>},
 * or {@code ./kiebot <command>}): {@code Commands} reads the arguments, runs one command and returns the process's
 * exit code. {@code import-balances <file.csv>} credits balances carried over from an earlier bot through the
 * ledger ({@code BalanceRows} checks the whole file first, every bad line listed; {@code BalanceImport} credits
 * each row once, under a hash of the row, so a second run credits nothing). {@code warm-up} walks the start-up path
 * without a database or network ({@code WarmUp}), for a class-data archive that makes later starts faster.
 *
 * <p>A command reads only the variables it needs ({@code import-balances}: the database's, through
 * {@code Settings.databaseFromEnv}) and never starts the bot's work. Only {@code Commands} is public: the runners'
 * {@code main} calls it when given arguments.
 */
package dev.kiebot.runtime.cli;
