-- Issue 11: when a job's result arrived. The median time of a model's last successful jobs is the expected
-- time its progress message shows; the models with the most delivered jobs this week are the "Popular" menu.
ALTER TABLE jobs ADD COLUMN succeeded_at timestamptz;

CREATE INDEX jobs_model_run_times ON jobs (model_id, succeeded_at DESC) WHERE succeeded_at IS NOT NULL;
CREATE INDEX jobs_delivered_by_creation ON jobs (created_at) WHERE state = 'DELIVERED';
