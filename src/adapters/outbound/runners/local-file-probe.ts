import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FileProbe } from '../../../app/config-check/find-config-warnings';
import { DEFAULT_BASE_ENV } from './script-rollback-runner';

/**
 * Answers the config checks the way a runner would start the program: a path is taken from
 * the runner's cwd (else the bot's), a bare name is looked up on the PATH runners get.
 */
export const localFileProbe: FileProbe = {
  program(argv0, cwd) {
    const candidates = argv0.includes('/')
      ? [resolve(cwd ?? '.', argv0)]
      : (DEFAULT_BASE_ENV.PATH ?? '')
          .split(':')
          .filter(Boolean)
          .map((dir) => join(dir, argv0));
    let found = false;
    for (const path of candidates) {
      if (!isFile(path)) continue;
      found = true;
      if (isExecutable(path)) return 'ok';
    }
    return found ? 'not_executable' : 'missing';
  },
  exists(path, cwd) {
    try {
      statSync(resolve(cwd ?? '.', path));
      return true;
    } catch {
      return false;
    }
  },
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
