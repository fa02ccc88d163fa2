package dev.kiebot.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.jobs.MediaKind;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/** Generation jobs in PostgreSQL: optimistic versions, and leases handed out with {@code FOR UPDATE SKIP LOCKED}. */
public final class PgJobs implements Jobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> VALUES = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, List<String>>> FILES = new TypeReference<>() {
    };
    private static final String ACTIVE = JobState.active().stream().map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", "));

    /** The job worker LISTENs here for new jobs. */
    public static final String CHANNEL = "kiebot_jobs";

    private final Jdbi jdbi;
    private final PgNotifier worker;

    /** Notifies other instances only; {@link #PgJobs(Jdbi, Wakeups)} also wakes this one's threads. */
    public PgJobs(Jdbi jdbi) {
        this(jdbi, Wakeups.sharedDatabase());
    }

    public PgJobs(Jdbi jdbi, Wakeups wakeups) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.worker = new PgNotifier(jdbi, CHANNEL, wakeups);
    }

    @Override
    public Job create(JobDraft draft) {
        return jdbi.withHandle(h -> {
            // the job worker LISTENs: notified when the creating transaction commits
            var q = h.createQuery("WITH j AS (INSERT INTO jobs (user_id, chat_id, language, model_id, sku_id, "
                    + "input_values, input_files, price, free, state, created_at, deadline, next_check_at, polls, "
                    + "version) VALUES (:userId, :chatId, :language, :modelId, :skuId, CAST(:values AS jsonb), "
                    + "CAST(:files AS jsonb), :price, :free, 'CREATED', :createdAt, :deadline, :createdAt, 0, 0) "
                    + "RETURNING *) SELECT j.* FROM j");
            bindDraft(q, draft);
            Job job = q.map((rs, ctx) -> job(rs)).one();
            worker.afterCommit();
            return job;
        });
    }

    private static void bindDraft(SqlStatement<?> q, JobDraft d) {
        q.bind("userId", d.userId())
                .bind("chatId", d.chatId())
                .bind("language", d.language())
                .bind("modelId", d.modelId())
                .bind("skuId", d.skuId())
                .bind("values", json(d.values()))
                .bind("files", json(d.files()))
                .bind("price", d.price())
                .bind("free", d.free())
                .bind("createdAt", Sql.ts(d.createdAt()))
                .bind("deadline", Sql.ts(d.deadline()));
    }

    @Override
    public Optional<Job> find(JobId id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> job(rs))
                .findOne());
    }

    @Override
    public Optional<Job> findByTaskId(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE task_id = :t ORDER BY id LIMIT 1")
                .bind("t", taskId)
                .map((rs, ctx) -> job(rs))
                .findOne());
    }

    /** Writes with a version check; the write ends any lease (the job is due again at {@code nextCheckAt}). */
    @Override
    public Optional<Job> update(Job next) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("UPDATE jobs SET user_id = :userId, chat_id = :chatId, "
                        + "language = :language, model_id = :modelId, sku_id = :skuId, "
                        + "input_values = CAST(:values AS jsonb), input_files = CAST(:files AS jsonb), price = :price, "
                        + "free = :free, state = :state, task_id = :taskId, result_urls = :resultUrls, "
                        + "result_kind = :resultKind, failure = :failure, failure_kind = :failureKind, "
                        + "status_message_id = :statusMessageId, "
                        + "created_at = :createdAt, deadline = :deadline, next_check_at = :nextCheckAt, "
                        + "succeeded_at = :succeededAt, submitted_at = :submittedAt, polls = :polls, "
                        + "result_missing_reads = :resultMissingReads, "
                        + "version = version + 1, leased_by = NULL, leased_until = NULL, updated_at = now() "
                        + "WHERE id = :id AND version = :version RETURNING *");
            if (next.result().isPresent()) {
                q.bindArray("resultUrls", String.class, next.result().get().urls());
            } else {
                q.bindNull("resultUrls", Types.ARRAY);
            }
            return q.bind("id", next.id().value())
                .bind("version", next.version())
                .bind("userId", next.userId())
                .bind("chatId", next.chatId())
                .bind("language", next.language())
                .bind("modelId", next.modelId())
                .bind("skuId", next.skuId())
                .bind("values", json(next.values()))
                .bind("files", json(next.files()))
                .bind("price", next.price())
                .bind("free", next.free())
                .bind("state", next.state().name())
                .bind("taskId", next.taskId().orElse(null))
                .bind("resultKind", next.result().map(r -> r.kind().name()).orElse(null))
                .bind("failure", next.failure().orElse(null))
                .bind("failureKind", next.failureKind().map(Enum::name).orElse(null))
                .bind("statusMessageId", next.statusMessageId().orElse(null))
                .bind("createdAt", Sql.ts(next.createdAt()))
                .bind("deadline", Sql.ts(next.deadline()))
                .bind("nextCheckAt", Sql.ts(next.nextCheckAt()))
                .bindByType("succeededAt", next.succeededAt().map(Sql::ts).orElse(null), java.time.OffsetDateTime.class)
                .bindByType("submittedAt", next.submittedAt().map(Sql::ts).orElse(null), java.time.OffsetDateTime.class)
                .bind("polls", next.polls())
                .bind("resultMissingReads", next.resultMissingReads())
                .map((rs, ctx) -> job(rs))
                .findOne();
        });
    }

    @Override
    public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<Job> leased = jdbi.withHandle(h -> h.createQuery("UPDATE jobs j SET leased_by = :worker, "
                        + "leased_until = :until FROM (SELECT id FROM jobs WHERE state IN (" + ACTIVE + ") "
                        // Job.checkDue: a next check further ahead than Job.lookAheadMax predates a clock's step back
                        + "AND (next_check_at <= :now OR state <> 'SUBMITTING' AND next_check_at > :now "
                        + "+ GREATEST(deadline - created_at, CAST(:lookAheadFloor AS interval))) "
                        + "AND (leased_until IS NULL OR leased_until < :now) "
                        + "ORDER BY next_check_at, id LIMIT :limit FOR UPDATE SKIP LOCKED) due "
                        + "WHERE j.id = due.id RETURNING j.*")
                .bind("worker", worker)
                .bind("until", Sql.ts(now.plus(leaseFor)))
                .bind("lookAheadFloor", Job.LOOK_AHEAD_FLOOR.toSeconds() + " seconds")
                .bind("now", Sql.ts(now))
                .bind("limit", limit)
                .map((rs, ctx) -> job(rs))
                .list());
        return leased.stream()
                .sorted(Comparator.comparing(Job::nextCheckAt).thenComparing(j -> j.id().value()))
                .toList();
    }

    @Override
    public List<Job> recent(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE user_id = :u ORDER BY id DESC LIMIT :n")
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> job(rs))
                .list());
    }

    /**
     * {@link #unfinished}: through the index of unfinished jobs by user ({@code jobs_user_unfinished}, whose predicate
     * this one's matches), which holds none of his finished ones. Package-private for the plan test.
     */
    static final String UNFINISHED = "SELECT * FROM jobs WHERE user_id = :u AND state NOT IN ('DELIVERED', 'FAILED') "
            + "ORDER BY id DESC LIMIT :n";

    @Override
    public List<Job> unfinished(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(UNFINISHED)
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> job(rs))
                .list());
    }

    @Override
    public List<Job> deliveredWithoutFileIds(long userId, Instant since, int limit) {
        // one query: read in the settle of a send refused as blocked, whose transaction holds the chat
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM (SELECT * FROM jobs WHERE user_id = :u "
                        + "ORDER BY id DESC LIMIT :n) newest WHERE state = 'DELIVERED' AND succeeded_at > :since "
                        + "AND cardinality(coalesce(delivered_file_ids, '{}')) = 0 ORDER BY id DESC")
                .bind("u", userId)
                .bind("n", Math.max(0, limit))
                .bind("since", Sql.ts(since))
                .map((rs, ctx) -> job(rs))
                .list());
    }

    @Override
    public List<Duration> runTimes(String modelId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT (EXTRACT(EPOCH FROM (succeeded_at - created_at)) * 1000)"
                        + "::bigint AS ms FROM jobs WHERE model_id = :m AND succeeded_at IS NOT NULL "
                        + "AND state IN ('SUCCEEDED', 'DELIVERED') "
                        + "AND succeeded_at >= created_at ORDER BY succeeded_at DESC, id DESC LIMIT :n")
                .bind("m", modelId)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> Duration.ofMillis(rs.getLong("ms")))
                .list());
    }

    @Override
    public List<String> mostDelivered(Instant since, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT model_id FROM jobs WHERE state = 'DELIVERED' "
                        + "AND created_at >= :since GROUP BY model_id ORDER BY count(*) DESC, model_id LIMIT :n")
                .bind("since", Sql.ts(since))
                .bind("n", Math.max(0, limit))
                .mapTo(String.class)
                .list());
    }

    @Override
    public void addDeliveredFiles(JobId id, List<DeliveredFile> files) {
        // the URLs beside the ids, position for position (V42): a build before appends ids alone, so the URLs are
        // first padded with '' (unknown) up to the ids kept before; the build before reads the ids as ever. One
        // statement: its expressions all read the row as it was
        jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET delivered_file_urls = coalesce(delivered_file_urls, '{}') "
                        + "|| array_fill(''::text, ARRAY[GREATEST(0, cardinality(coalesce(delivered_file_ids, '{}')) "
                        + "- cardinality(coalesce(delivered_file_urls, '{}')))]) || CAST(:urls AS text[]), "
                        + "delivered_file_ids = coalesce(delivered_file_ids, '{}') || CAST(:ids AS text[]), "
                        + "updated_at = now() WHERE id = :id")
                .bindArray("ids", String.class, files.stream().map(DeliveredFile::source).toList())
                .bindArray("urls", String.class, files.stream().map(f -> f.url().orElse("")).toList())
                .bind("id", id.value())
                .execute());
    }

    @Override
    public Optional<Instant> nextCheckAt() {
        return jdbi.withHandle(h -> h.createQuery("SELECT min(GREATEST(next_check_at, coalesce(leased_until, "
                        + "next_check_at))) FROM jobs WHERE state IN (" + ACTIVE + ")")
                .map((rs, ctx) -> Sql.optionalInstant(rs, "min"))
                .one());
    }

    @Override
    public List<DeliveredFile> deliveredFiles(JobId id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT delivered_file_ids, delivered_file_urls FROM jobs "
                        + "WHERE id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> files(strings(rs.getArray(1)), strings(rs.getArray(2))))
                .findOne()
                .orElse(List.of()));
    }

    /**
     * Each id beside the URL at its position; '' there, or none (an id a build before kept, with no URL beside it),
     * is an unknown URL.
     */
    private static List<DeliveredFile> files(List<String> ids, List<String> urls) {
        List<DeliveredFile> files = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Optional<String> url = i < urls.size() ? Optional.ofNullable(urls.get(i)).filter(u -> !u.isBlank())
                    : Optional.empty();
            files.add(new DeliveredFile(ids.get(i), url));
        }
        return List.copyOf(files);
    }

    private static Job job(ResultSet rs) throws SQLException {
        Optional<JobResult> result = Optional.empty();
        Array urls = rs.getArray("result_urls");
        if (urls != null) {
            result = Optional.of(new JobResult(strings(urls), MediaKind.valueOf(rs.getString("result_kind"))));
        }
        long statusMessage = rs.getLong("status_message_id");
        Optional<Long> statusMessageId = rs.wasNull() ? Optional.empty() : Optional.of(statusMessage);
        return new Job(
                new JobId(rs.getLong("id")),
                rs.getLong("user_id"),
                rs.getLong("chat_id"),
                rs.getString("language"),
                rs.getString("model_id"),
                rs.getString("sku_id"),
                parse(rs.getString("input_values"), VALUES),
                parse(rs.getString("input_files"), FILES),
                rs.getLong("price"),
                rs.getBoolean("free"),
                JobState.valueOf(rs.getString("state")),
                Sql.optionalString(rs, "task_id"),
                result,
                Sql.optionalString(rs, "failure"),
                failureKind(Sql.optionalString(rs, "failure_kind")),
                statusMessageId,
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "deadline"),
                Sql.instant(rs, "next_check_at"),
                Sql.optionalInstant(rs, "succeeded_at"),
                Sql.optionalInstant(rs, "submitted_at"),
                rs.getInt("polls"),
                rs.getInt("result_missing_reads"),
                rs.getLong("version"));
    }

    /**
     * The kind a job failed with, as stored: none for a row failed before it was kept, and none for a name this build
     * does not know (a newer build's, read after a rollback), which reads as a failure of no kind rather than stop
     * every read of the job.
     */
    private static Optional<ErrorKind> failureKind(Optional<String> stored) {
        return stored.flatMap(name -> Arrays.stream(ErrorKind.values()).filter(k -> k.name().equals(name)).findFirst());
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return List.copyOf(Arrays.asList((String[]) array.getArray()));
    }

    private static String json(Map<String, ?> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode job inputs", e);
        }
    }

    private static <T extends Map<String, ?>> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored job inputs are not valid JSON", e);
        }
    }
}
