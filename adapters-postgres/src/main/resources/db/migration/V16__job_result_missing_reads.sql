-- How many status reads found the task done without a result to deliver: such a success is read again a bounded
-- number of times (JobWorker.RESULT_MISSING_READS_MAX) before the job fails and is refunded.
ALTER TABLE jobs ADD COLUMN result_missing_reads integer NOT NULL DEFAULT 0 CHECK (result_missing_reads >= 0);
