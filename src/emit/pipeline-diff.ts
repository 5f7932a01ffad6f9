/** `compose --dry-run`: what the policies change, as a unified diff of the two pipelines' YAML. */

export async function emitPipelineDiff(projectYaml: string, composedYaml: string): Promise<string> {
  if (projectYaml === composedYaml) return '# The policies change nothing in this pipeline.\n';
  // Loaded only for --dry-run.
  const { createTwoFilesPatch } = await import('diff');
  // Header lines name what is compared; no dates, so the output stays deterministic.
  return createTwoFilesPatch('project-pipeline.yml', 'policy-pipeline.yml', projectYaml, composedYaml, '', '', { context: 3 });
}
