-- A chat's state is the text core gives (ChatStates is a port of text since core stopped handing stores a session),
-- so the store no longer knows the session's version to repeat: the state text's first field holds it. The texts
-- are unchanged and read as before. IF EXISTS: a test takes a schema back to before an earlier migration and applies
-- this one again.
ALTER TABLE chat_states DROP COLUMN IF EXISTS version;
