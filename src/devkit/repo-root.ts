import fs from 'node:fs';
import path from 'node:path';

/** The package name that marks the root of a Hades checkout. */
const PACKAGE_NAME = 'hades';

/**
 * Walks up from `start` to the folder whose package.json is named "hades", so the devkit finds
 * the checkout both from src/devkit (ts-jest) and from dist/src/devkit (built).
 */
export function findRepoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (isHadesPackage(path.join(dir, 'package.json'))) return dir;

    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `no hades checkout above ${start}: no parent folder has a package.json named ` +
          `"${PACKAGE_NAME}"; run this from inside the repository`,
      );
    }
    dir = parent;
  }
}

function isHadesPackage(file: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
