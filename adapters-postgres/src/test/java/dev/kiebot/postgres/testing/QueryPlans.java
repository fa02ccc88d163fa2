package dev.kiebot.postgres.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The plan PostgreSQL ran for a statement, read the way the plan tests hold a query to a bounded number of rows
 * whatever the table's size: each scan of a table, and the rows it touched (returned, or read and thrown away).
 */
public final class QueryPlans {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryPlans() {
    }

    /** The plan of {@code sql} run with {@code params} ({@code EXPLAIN ANALYZE}), as PostgreSQL's JSON. */
    public static JsonNode plan(Jdbi jdbi, String sql, Map<String, Object> params) {
        String json = jdbi.withHandle(h -> {
            var q = h.createQuery("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql);
            params.forEach(q::bind);
            return q.mapTo(String.class).one();
        });
        try {
            return JSON.readTree(json).get(0).get("Plan");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds to {@code out} every node of {@code node}'s tree that reads a table. */
    public static void scans(JsonNode node, List<JsonNode> out) {
        if (node.has("Relation Name")) {
            out.add(node);
        }
        for (JsonNode child : node.path("Plans")) {
            scans(child, out);
        }
    }

    /** Rows a scan node read: those it returned and those its filter or recheck threw away. */
    public static long touched(JsonNode scan) {
        return scan.path("Actual Rows").asLong() * Math.max(1, scan.path("Actual Loops").asLong())
                + scan.path("Rows Removed by Filter").asLong() + scan.path("Rows Removed by Index Recheck").asLong();
    }
}
