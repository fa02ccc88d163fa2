-- A job a build before aca74ae8 cut off mid-send (killed, its database lost) says SUBMITTING with no task, and its
-- task, if Kie made one, was given a callback address naming no job (before ?job=gen_12&made=…): Kie's callback for
-- it cannot find the job, nor Kie's record of it match the job's address. The newer build waited for that callback
-- until the deadline (10 or 30 min), the money held, then refunded; the build that sent it refunded at once. Such
-- jobs are marked here with an audit line ('gen.sent_unnamed', JobWorker.SENT_UNNAMED; /find says it in words), which
-- the worker reads to refund them at once (CallbackRescue.awaitCallback).
--
-- Which build sent a job is not kept; when it was made is. Every build whose schema stopped before V27 is older than
-- aca74ae8, so a job made before V27 was applied to this database was sent without its name. One made later was sent
-- by a build at V27 or newer (most of those at V27, and every later one, name the job) and waits as before. Flyway
-- keeps installed_on in the session's time zone. A database baselined past V27 has no such row: nothing is marked.
-- Re-applicable (migration tests cut Flyway's history and migrate again): a job marked once is not marked again.
INSERT INTO audit_events (at, actor, action, detail, correlation_id)
SELECT now(), '***' || right(j.user_id::text, 4), 'gen.sent_unnamed', '', 'gen_' || j.id
FROM jobs j
WHERE j.state = 'SUBMITTING' AND j.task_id IS NULL
  AND j.created_at < (SELECT h.installed_on AT TIME ZONE current_setting('TimeZone') FROM flyway_schema_history h
                      WHERE h.version = '27' AND h.success)
  AND NOT EXISTS (SELECT 1 FROM audit_events a
                  WHERE a.correlation_id = 'gen_' || j.id AND a.action = 'gen.sent_unnamed');
