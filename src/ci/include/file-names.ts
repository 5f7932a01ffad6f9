/** How include files are named in messages and in the report. */
/** A file's name in messages: its bare path at home, `project:path@ref` elsewhere. */
export function fileNameIn(home: { readonly project: string; readonly ref: string | undefined }, project: string, path: string, ref: string | undefined): string {
  if (project === home.project && ref === home.ref) return path;
  return `${project}:${path}${ref === undefined ? '' : `@${ref}`}`;
}
