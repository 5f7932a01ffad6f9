/**
 * `include:component` addresses: `<fqdn>/<project path>/<component name>@<version>`
 * (docs "ci/components/#use-a-component"; Gitlab::Ci::Components::InstancePath).
 */
import type { SourceLocation } from '../../errors.js';
import { includeError } from './include-error.js';

export interface ComponentAddress {
  readonly address: string;
  readonly project: string;
  readonly name: string;
  /** The version as written: a tag, branch, SHA, `~latest` or a partial version like `1.2`. */
  readonly version: string;
  /**
   * The ref to read at. `~latest` and partial versions (`1`, `1.2`) need the CI/CD catalog's
   * release list, which our Source does not expose: they resolve to undefined (the source's
   * default ref), a documented limit.
   */
  readonly ref: string | undefined;
  /** The files GitLab tries, in order (Ci::Catalog::ComponentsProject#fetch_component). */
  readonly candidatePaths: readonly string[];
}

const partialVersion = /^\d+(\.\d+)?$/; // InstancePath::SHORTHAND_SEMVER_PATTERN

export function parseComponentAddress(address: string, serverHost: string, location: SourceLocation | undefined): ComponentAddress {
  const prefix = `${serverHost}/`;
  const at = address.indexOf('@');
  // InstancePath.match?: the address must contain `@` and start with this instance's FQDN.
  if (at < 0 || !address.startsWith(prefix)) {
    throw includeError('include-component', `Component '${address}' - the component path is not supported`, location, {
      hint: `Components are addressed as ${serverHost}/<project path>/<component name>@<version> (CI_SERVER_FQDN is ${serverHost}).`,
    });
  }
  const fullPath = address.slice(prefix.length, at);
  const version = address.slice(at + 1);
  // InstancePath#extract_project_path: the last `/` separates the project path from the name.
  const slash = fullPath.lastIndexOf('/');
  if (fullPath.startsWith('/') || slash <= 0 || slash === fullPath.length - 1 || version === '') {
    throw includeError('include-component', `Component '${address}' - content not found`, location);
  }
  const project = fullPath.slice(0, slash);
  const name = fullPath.slice(slash + 1);
  const ref = version === '~latest' || partialVersion.test(version) ? undefined : version;
  return {
    address,
    project,
    name,
    version,
    ref,
    candidatePaths: [`templates/${name}.yml`, `templates/${name}/template.yml`],
  };
}
