/**
 * Abstract JUnit 5 contract tests every store implementation must pass, to prove it keeps core's rules
 * (idempotency, no overdraft, one claim per chat, one payment per invoice, ...). Writing your own store (on MongoDB,
 * say)? Extend the contract of each store you write, in a test of your own: a {@code create(...)} method returns a fresh,
 * empty store each call; the others ({@code StoresContract}'s, {@code QueuesContract}'s, {@code ChargeLockContract}'s)
 * return stores over the same data each call, which {@code reset()} empties before each test. The contract's
 * {@code @Test}s then run against yours:
 *
 * <table>
 *   <caption>Which contract proves which store</caption>
 *   <tr><th>your store</th><th>extend</th><th>and implement</th></tr>
 *   <tr><td>{@code Ledger}</td><td>{@code LedgerContract}</td><td>{@code create(clock)}; optionally lower
 *       {@code concurrentOperations()} for a store behind a server</td></tr>
 *   <tr><td>{@code Jobs}</td><td>{@code JobsContract}</td><td>{@code create()}</td></tr>
 *   <tr><td>{@code Users}, {@code ChatStates}, {@code FreeUsage}, {@code Payments}, {@code Audit},
 *       {@code Admissions}, {@code Broadcasts}, {@code PausedModels}</td><td>{@code StoresContract}</td><td>one
 *       method per store, and {@code reset()} (called before each test: empty them)</td></tr>
 *   <tr><td>{@code ProcessedUpdates}, {@code PendingReplies} and their {@code Transactions}</td>
 *       <td>{@code QueuesContract}</td><td>the three, sharing one transaction manager, and {@code reset()}</td></tr>
 *   <tr><td>{@code Payments.lockCharge}</td><td>{@code ChargeLockContract}</td><td>{@code payments()},
 *       {@code transactions()}, {@code reset()}: a lock shows only between two transactions, so no other contract
 *       (and no in-memory store) can check it</td></tr>
 *   <tr><td>{@code ManualTopUps}</td><td>{@code ManualTopUpsContract}</td><td>{@code create()}</td></tr>
 *   <tr><td>{@code SupportTickets}</td><td>{@code SupportTicketsContract}</td><td>{@code create()}</td></tr>
 *   <tr><td>{@code SingletonLock} (a long-polling loop of your own)</td><td>{@code SingletonLockContract}</td>
 *       <td>{@code contender()} (a new contender for the same lock each call) and {@code reset()}</td></tr>
 *   <tr><td>{@code ShopFigures}</td><td>{@code ShopFiguresContract}</td><td>{@code create(clock)}: a
 *       {@code World} of your users, jobs, ledger, manual top-ups and figures over one database</td></tr>
 *   <tr><td>{@code Transactions} over all your stores</td><td>{@code TransactionsContract}</td><td>{@code create(clock)}:
 *       your whole {@code Stores}, empty, over one database: a rollback undoes every store's writes, none seen by
 *       another thread before the commit (no in-memory store can keep it either); {@code durable()} to say false for
 *       a database kept in memory</td></tr>
 *   <tr><td>{@code ExternalRefundDues}</td><td>{@code ExternalRefundDuesContract}</td><td>{@code create(clock)}: your
 *       whole {@code Stores}, empty, over one database (a shop refunds payments on them, months apart)</td></tr>
 *   <tr><td>{@code PersonalData}</td><td>{@code PersonalDataContract}</td><td>{@code create(clock)}: your whole
 *       {@code Stores}, empty, over one database (a shop on them reads a user's money after his data is
 *       forgotten); {@code payloadOf(updateId)}: what your store keeps of an update's body, read from the store
 *       itself, as a {@code StoredPayload} (kept, dropped once handled, or not stored), to check that his handled
 *       updates keep nothing of him; {@code keptByAnEarlierVersion}, for a store that drops handled bodies but may
 *       hold some its earlier versions kept</td></tr>
 * </table>
 *
 * <p>Each is an abstract class, so one test class extends one contract; put them side by side as {@code @Nested}
 * classes of one test, as {@code adapters-postgres}' {@code PgContractsTest} does:
 *
 * <!-- snippet: members (compiled by the architecture module's PartnerSnippetsTest)
 * import dev.kiebot.core.ledger.ForwardingLedger;
 * import dev.kiebot.core.ledger.Ledger;
 * import dev.kiebot.core.testing.MutableClock;
 * import org.junit.jupiter.api.Nested;
 * abstract Object emptiedDatabase();
 * abstract Ledger aLedger();
 * class MongoLedger extends ForwardingLedger { MongoLedger(Object database, MutableClock clock) { super(aLedger()); } }
 * -->
 * <pre>{@code
 * class MongoContractsTest {
 *     @Nested
 *     class LedgerTest extends LedgerContract {
 *         @Override
 *         protected Ledger create(MutableClock clock) {
 *             return new MongoLedger(emptiedDatabase(), clock);   // empty for every test
 *         }
 *     }
 *     // ... one per contract of the table, for every store you wrote
 * }
 * }</pre>
 *
 * Add {@code dev.kiebot:core-testing} at test scope only: its in-memory stores are not for a shop that takes money.
 */
package dev.kiebot.core.testing.contract;
