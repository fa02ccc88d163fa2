package dev.kiebot.postgres.testing;

import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;

/** Shows a test every statement {@code jdbi} runs, before it runs, and leaves the logger it had in place beside it. */
public final class StatementsSeen {
    private StatementsSeen() {
    }

    /**
     * Installs {@code seen} in front of {@code jdbi}'s own SQL logger, which still gets every call.
     *
     * @return the logger it had, to put back
     */
    public static SqlLogger by(Jdbi jdbi, Consumer<StatementContext> seen) {
        SqlLogger kept = jdbi.getConfig(SqlStatements.class).getSqlLogger();
        jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                seen.accept(context);
                kept.logBeforeExecution(context);
            }

            @Override
            public void logAfterExecution(StatementContext context) {
                kept.logAfterExecution(context);
            }

            @Override
            public void logException(StatementContext context, java.sql.SQLException ex) {
                kept.logException(context, ex);
            }
        });
        return kept;
    }
}
