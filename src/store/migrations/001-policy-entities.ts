/**
 * The first schema (SPEC §5): policies and their versions, projects, the resolved links, pipeline
 * records, default-branch findings, audit rows. Plain PostgreSQL 15 that PGlite runs too.
 * Timestamps are given by the caller (the clock is a parameter), never `now()`, so tests and
 * replays are deterministic.
 */
export const sql = `
CREATE TABLE policy_project (
  path          text PRIMARY KEY,
  gitlab_id     bigint NOT NULL,
  -- The commit of the default branch last synced; in workspace mode the digest of the policy file.
  commit_sha    text NOT NULL,
  policy_file   text NOT NULL,
  synced_at     timestamptz NOT NULL
);

CREATE TABLE policy (
  id              text PRIMARY KEY,
  policy_project  text NOT NULL REFERENCES policy_project(path),
  type            text NOT NULL,
  name            text NOT NULL,
  position        integer NOT NULL,
  enabled         boolean NOT NULL,
  scope           jsonb,
  -- null once the policy left its policy file; its versions and records stay.
  current_digest  text,
  UNIQUE (policy_project, type, name)
);

CREATE TABLE policy_version (
  policy_id   text NOT NULL REFERENCES policy(id),
  number      integer NOT NULL,
  digest      text NOT NULL,
  commit_sha  text NOT NULL,
  yaml        text NOT NULL,
  -- The files the policy includes, as read: [{project, path, ref, text}].
  files       jsonb NOT NULL,
  first_seen  timestamptz NOT NULL,
  last_seen   timestamptz NOT NULL,
  PRIMARY KEY (policy_id, digest),
  UNIQUE (policy_id, number)
);

CREATE TABLE project (
  path            text PRIMARY KEY,
  gitlab_id       bigint NOT NULL,
  groups          bigint[] NOT NULL,
  frameworks      bigint[] NOT NULL,
  default_branch  text NOT NULL,
  ci_config_path  text,
  -- null when unknown (no central file given, or GitLab did not say).
  enforced        boolean,
  synced_at       timestamptz NOT NULL
);

-- Only the links that apply; why the others do not is recomputed from the scope on demand.
CREATE TABLE policy_link (
  policy_id     text NOT NULL,
  digest        text NOT NULL,
  project_path  text NOT NULL REFERENCES project(path) ON DELETE CASCADE,
  reason        text NOT NULL,
  PRIMARY KEY (policy_id, digest, project_path),
  FOREIGN KEY (policy_id, digest) REFERENCES policy_version(policy_id, digest)
);
CREATE INDEX policy_link_project ON policy_link(project_path);

CREATE TABLE pipeline_record (
  id            bigserial PRIMARY KEY,
  project_path  text NOT NULL,
  pipeline_id   bigint NOT NULL,
  sha           text,
  ref           text NOT NULL,
  source        text NOT NULL,
  result        text NOT NULL,
  verdict       text,
  verdict_detail jsonb,
  recorded_at   timestamptz NOT NULL,
  UNIQUE (project_path, pipeline_id)
);
CREATE INDEX pipeline_record_recent ON pipeline_record(project_path, recorded_at DESC);

CREATE TABLE pipeline_policy_version (
  pipeline_record_id  bigint NOT NULL REFERENCES pipeline_record(id) ON DELETE CASCADE,
  policy_id           text NOT NULL,
  digest              text NOT NULL,
  applied             boolean NOT NULL,
  reason              text NOT NULL,
  PRIMARY KEY (pipeline_record_id, policy_id)
);
CREATE INDEX pipeline_policy_version_policy ON pipeline_policy_version(policy_id, digest);

CREATE TABLE finding (
  project_path  text NOT NULL,
  identity      text NOT NULL,
  report_type   text NOT NULL,
  severity      text NOT NULL,
  name          text NOT NULL,
  state         text NOT NULL CHECK (state IN ('detected', 'confirmed', 'dismissed', 'resolved')),
  first_seen    timestamptz NOT NULL,
  last_seen     timestamptz NOT NULL,
  PRIMARY KEY (project_path, identity)
);

CREATE TABLE audit_record (
  id            bigserial PRIMARY KEY,
  run_id        text NOT NULL,
  project_path  text NOT NULL,
  enforced      boolean,
  detail        jsonb NOT NULL,
  recorded_at   timestamptz NOT NULL,
  UNIQUE (run_id, project_path)
);
`;
