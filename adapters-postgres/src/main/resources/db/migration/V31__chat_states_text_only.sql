-- A chat's state is the text core gives (ChatStates is a port of text since core stopped handing stores a session),
-- so the store no longer knows the session's version to repeat: the state text's first field holds it. The texts
-- are unchanged and read as before. The column is left, nullable, rather than dropped: during a deploy the build
-- before still runs beside this one for a while (Render starts the new instance before it stops the old) and writes
-- the column in every save; dropped, each of its saves would fail until it stopped. Repeatable: a test takes a schema
-- back to before an earlier migration and applies this one again.
ALTER TABLE chat_states ALTER COLUMN version DROP NOT NULL;
