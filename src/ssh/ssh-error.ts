/** Why a host could not be reached or stopped answering; stable codes that the CLI and tests read. */
export type SshErrorCode =
  | 'HOST_KEY_UNKNOWN'
  | 'HOST_KEY_CHANGED'
  | 'HOST_KEY_REVOKED'
  | 'CONNECT_REFUSED'
  | 'CONNECT_TIMEOUT'
  | 'HOST_UNREACHABLE'
  | 'AUTH_REFUSED'
  | 'IDENTITY_UNREADABLE'
  | 'IDENTITY_LOCKED'
  | 'CONNECTION_LOST';

/** Codes that mean nothing ran yet and a later attempt may succeed. */
const TRANSIENT: ReadonlySet<SshErrorCode> = new Set(['CONNECT_REFUSED', 'CONNECT_TIMEOUT', 'HOST_UNREACHABLE']);

export class SshError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'SshError';
  }

  /** True when nothing ran on the host, so connecting again cannot run a command twice. */
  get transient(): boolean {
    return isTransientCode(this.code);
  }
}

/** True for codes that mean nothing ran yet and a later attempt may succeed. */
export function isTransientCode(code: string): boolean {
  return TRANSIENT.has(code as SshErrorCode);
}
