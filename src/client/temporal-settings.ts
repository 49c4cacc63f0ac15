/** Where runs live: a Temporal frontend, a namespace and the task queue workers poll. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

export const DEFAULT_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TASK_QUEUE = 'hades';

export interface TemporalFlags {
  address?: string;
  namespace?: string;
  'task-queue'?: string;
}

/** Flags first, then the Temporal CLI's variables (and HADES_TASK_QUEUE), then the local dev server. */
export function readTemporalSettings(flags: TemporalFlags, env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  return {
    address: flags.address ?? env.TEMPORAL_ADDRESS ?? DEFAULT_ADDRESS,
    namespace: flags.namespace ?? env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: flags['task-queue'] ?? env.HADES_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
  };
}

/** The Web UI of a run, when the server is a local dev server (UI on the port + 1000). */
export function webUiUrl(settings: TemporalSettings, runId: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.HADES_UI_URL ?? guessUiBase(settings.address);
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(runId)}`;
}

function guessUiBase(address: string): string {
  const match = /^(.*):(\d+)$/.exec(address);
  if (!match) return `http://${address}`;
  return `http://${match[1]}:${Number(match[2]) + 1000}`;
}
