/** What the verifier expects of a pipeline built by the central configuration (templates/policy-sidecar.yml). */

export interface VerifySettings {
  /**
   * The central CI configuration file every enforced project must point at, as GitLab's
   * setting spells it (`pipeline.yml@platform/ci`).
   */
  readonly centralConfigPath: string;
  readonly composeJobName: string;
  /** The bridge that runs the composed pipeline. */
  readonly pipelineBridgeName: string;
  /** The bridge that runs the pre pipeline (`compose --pre-out`). */
  readonly preBridgeName: string;
  /** The compose job's report artifact. */
  readonly reportPath: string;
}

export const DEFAULT_VERIFY_SETTINGS: Omit<VerifySettings, 'centralConfigPath'> = {
  composeJobName: 'policy:compose',
  pipelineBridgeName: 'policy:pipeline',
  preBridgeName: 'policy:pre',
  reportPath: 'policy-report.json',
};
