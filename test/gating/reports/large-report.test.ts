/**
 * Scale: a 10,000-finding SAST report, a 2,000-finding dependency report and a 2,000-component
 * SBOM from bench/reports-generate.ts, read as one pipeline's reports. Counts are exact (every
 * generated finding has its own location) and a second pipeline with the same reports under
 * other paths yields the same ids.
 */
import { describe, expect, it } from 'vitest';
import { generateDependencyReport, generateSastReport, generateSbom } from '../../../bench/reports-generate.js';
import { readReports } from '../../../src/gating/reports/index.js';

describe('large reports', () => {
  const sast = generateSastReport(10_000, 42);
  const dependencies = generateDependencyReport(2_000, 42);
  const sbom = generateSbom(2_000, 42);

  it('the generator is deterministic', () => {
    expect(generateSastReport(10_000, 42)).toBe(sast);
    expect(generateSastReport(100, 43)).not.toBe(generateSastReport(100, 42));
  });

  it('reads every finding and component once, with the same ids in another pipeline', () => {
    // CPU time of this process, not wall time: other processes on a busy machine do not count.
    const started = process.cpuUsage();
    const source = readReports(
      [
        { name: 'sast/gl-sast-report.json', text: sast },
        { name: 'gl-dependency-scanning-report.json', text: dependencies },
        { name: 'gl-sbom-npm-npm.cdx.json', text: sbom },
      ],
      { projectId: 278964 },
    );
    const { user, system } = process.cpuUsage(started);
    const elapsed = (user + system) / 1000;
    expect(source.findings.filter((finding) => finding.reportType === 'sast')).toHaveLength(10_000);
    expect(source.findings.filter((finding) => finding.reportType === 'dependency_scanning')).toHaveLength(2_000);
    expect(new Set(source.findings.map((finding) => finding.id)).size).toBe(12_000);
    expect(source.components).toHaveLength(2_000);
    expect(source.components.filter((component) => component.licenses.length === 0).length).toBeGreaterThan(0);
    expect([...source.reportTypes].sort()).toEqual(['dependency_scanning', 'sast']);
    expect(elapsed).toBeLessThan(10_000); // a few hundred ms in practice; generous for slow CI

    const target = readReports([{ name: 'jobs/semgrep-sast/gl-sast-report.json', text: sast }], { projectId: 278964 });
    const sourceSastIds = source.findings.filter((finding) => finding.reportType === 'sast').map((finding) => finding.id);
    expect(target.findings.map((finding) => finding.id)).toEqual(sourceSastIds);
  });
});
