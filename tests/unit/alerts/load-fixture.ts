import { readFileSync } from 'node:fs';

/** Reads a JSON fixture from tests/fixtures/alerts/<path>. */
export function loadFixture(path: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/alerts/${path}`, import.meta.url), 'utf8'));
}

/** A fresh deep copy, so a test can break one field without touching the others. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
