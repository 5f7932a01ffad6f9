/**
 * A person's decision on a default-branch finding (`findings dismiss|confirm|reopen`, docs/store.md):
 * why, and when. GitLab keeps the same with a dismissal (its reason and comment, dismissed_at).
 */
export const sql = `
ALTER TABLE finding ADD COLUMN state_reason text;
ALTER TABLE finding ADD COLUMN state_changed_at timestamptz;
`;
