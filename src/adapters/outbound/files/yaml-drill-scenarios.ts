import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DrillScenarios } from '../../../app/ports/drill-scenarios';
import { DRILL_NAME, parseDrillScenario, type DrillScenario } from '../../../domain/drills/drill-scenario';
import { refuse, type Result } from '../../../domain/result';

const EXTENSIONS = ['.yml', '.yaml'];

/**
 * Drill scenarios as YAML files in one folder, named by file (`p1-error-spike.yml` is
 * `/incident drill p1-error-spike`). Read when asked, so a scenario edited between drills
 * needs no restart; a run keeps the scenario it started with.
 */
export class YamlDrillScenarios implements DrillScenarios {
  constructor(private readonly dir: string) {}

  async names(): Promise<string[]> {
    return this.namesSync();
  }

  namesSync(): string[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir);
    } catch {
      return [];
    }
    return entries
      .filter((f) => EXTENSIONS.some((ext) => f.endsWith(ext)))
      .map((f) => f.replace(/\.ya?ml$/, ''))
      .filter((n) => DRILL_NAME.test(n))
      .sort();
  }

  async load(name: string): Promise<Result<{ scenario: DrillScenario }>> {
    return this.loadSync(name);
  }

  loadSync(name: string): Result<{ scenario: DrillScenario }> {
    const known = this.namesSync();
    const file = DRILL_NAME.test(name) ? EXTENSIONS.map((ext) => join(this.dir, name + ext)).find((f) => isFile(f)) : undefined;
    if (!file) {
      const list = known.length
        ? `Known scenarios: ${known.map((n) => `\`${n}\``).join(', ')}.`
        : `There are none yet: add YAML files to ${this.dir} (examples in examples/drills/).`;
      return refuse('drill.unknown', `No drill scenario "${name.slice(0, 60)}". ${list}`);
    }
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      return refuse('drill.bad_yaml', `${name}: ${file} is not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
    return parseDrillScenario(name, raw);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
