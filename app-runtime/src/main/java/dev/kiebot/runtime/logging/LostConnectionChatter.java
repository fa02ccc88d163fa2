package dev.kiebot.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * HikariCP's own lines about connections the database dropped, left out of the log. At a database restart, a failover
 * or a killed embedded PostgreSQL, each pooled connection in use wrote a WARN with a stack trace of 20 to 40 lines
 * ({@code Connection … marked as broken because of SQLSTATE(57P01)}), and each idle one {@code Failed to validate
 * connection … Possibly consider using a shorter maxLifetime value}, advice that does not fit a restart: in the polling
 * end-to-end suite's database outages and crashes five such warnings with 145 lines of stack trace, and four of that
 * advice, beside the bot's own one line per loop that says it with the SQLState ({@code taking updates failed (…,
 * SQLState 57P01); retrying until it works}) and the one that says when it works again. Hikari's other warnings (a
 * leak, a dirty commit state on close, a pool that cannot connect) stay.
 */
final class LostConnectionChatter extends TurboFilter {
    /** The loggers and the starts of the two message patterns, as HikariCP 5 writes them. */
    static final List<List<String>> LEFT_OUT = List.of(
            List.of("com.zaxxer.hikari.pool.ProxyConnection", "{} - Connection {} marked as broken because of SQLSTATE("),
            List.of("com.zaxxer.hikari.pool.PoolBase", "{} - Failed to validate connection {} ({})."));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null || level == null || level.isGreaterOrEqual(Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        for (List<String> chatter : LEFT_OUT) {
            if (chatter.get(0).equals(logger.getName()) && format.startsWith(chatter.get(1))) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
