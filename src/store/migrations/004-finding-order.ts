/**
 * The order of default-branch findings records (docs/store.md "Default-branch findings"): per
 * project, GitLab's id of the last pipeline whose findings were recorded. A pipeline with a
 * smaller id (created earlier: GitLab draws every pipeline id from one sequence) that records
 * late changes no state, so an older commit's findings never overwrite a newer commit's.
 */
export const sql = `
CREATE TABLE finding_pipeline (
  project_path  text PRIMARY KEY,
  pipeline_id   bigint NOT NULL,
  recorded_at   timestamptz NOT NULL
);
`;
