-- The provider's kind of the error a failed job failed with (ErrorKind's name: CONTENT_POLICY, INVALID_INPUT, SERVER,
-- …), as Kie's adapter decided it: only the user's message key was kept, and four kinds share one («нейросеть не
-- справилась»), a refusal by Kie's content rules and a rejected parameter another; /find and the user's history say
-- it. NULL for a failure of the shop's own (a deadline, a file) and for a job failed before this migration, which
-- read as before. A name this build does not know (written by a newer one) reads as none. Adding a nullable column
-- with no default rewrites nothing. IF NOT EXISTS lets a test take a schema back to before this migration and apply it
-- again.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS failure_kind text;
