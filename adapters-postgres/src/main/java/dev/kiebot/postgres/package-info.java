/**
 * Every store port of core in PostgreSQL (Jdbi over a HikariCP pool, the schema in the Flyway migrations under
 * {@code db/migration}), and the embedded PostgreSQL a bot starts when it is given no database. Start with
 * {@link dev.kiebot.postgres.Database}: {@code Database.connect(settings)} starts the embedded server (no JDBC URL in
 * the {@link dev.kiebot.postgres.DatabaseSettings}) or connects to the one named, and brings the schema to this
 * build's newest migration (a schema holding another application's tables is refused by name); {@link
 * dev.kiebot.postgres.PgStores#create} then gives every store over it, {@code asCoreStores()} as core's
 * {@code Stores}. Each {@code Pg*} store passes the same contract tests as core-testing's in-memory ones
 * ({@code PgContractsTest}).
 *
 * <p>Where a rule guards money or order, the database keeps it, not only the Java code: the ledger's invariants (a
 * wallet never negative, a transfer id recorded once) are constraints and a PL/pgSQL function that
 * {@code PgLedger}'s group-committed requests call; an update's claim is a row lock ({@code FOR UPDATE SKIP LOCKED})
 * that ends with the handling transaction, or with its connection when the holder dies; the outbox's chats, jobs and broadcast recipients are leased or
 * claimed the same way, each to one instance; {@code PgTransactions} makes several stores' writes one transaction,
 * run again after a serialization failure. {@code Wakeups}, {@code PgNotifier} and {@code PgNotifications} wake the
 * waiting threads once work is committed, in process and, only when other instances share the database, through
 * {@code LISTEN/NOTIFY}; {@code PgSingletonLock} lets one instance long-poll Telegram.
 *
 * <p>The embedded server ({@code EmbeddedDatabase}, with the package-private classes around it: the binaries, the
 * data directory's lock, creating the cluster, stopping a server a killed bot left behind, shutting down) runs
 * PostgreSQL 16 from zonky's binaries jars as a child process, one bot per data directory. The module reads no
 * environment ({@code DatabaseSettings} is built by the runtime's configuration, or by a partner, as
 * {@code examples/console-shop} does) and knows neither Telegram nor Kie: {@code app-runtime} wires it.
 */
package dev.kiebot.postgres;
