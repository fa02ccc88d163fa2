-- When Kie took the task: a task Kie says it does not know (404) is read again for a grace period from its
-- submission (JobWorker.NOT_FOUND_GRACE), then refunded. Jobs submitted before this column existed count from their
-- creation.
ALTER TABLE jobs ADD COLUMN submitted_at timestamptz;
