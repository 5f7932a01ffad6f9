/**
 * A GitLab pipeline id given as text (`--pipeline-id`, `CI_PIPELINE_ID`), for the store's records:
 * compose's pipeline record, evaluate's approval verdict and the order of default-branch findings.
 * A positive whole number that a JavaScript number holds exactly (a rounded id would file the
 * record under another pipeline); undefined for anything else.
 */
export function pipelineIdFrom(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}
