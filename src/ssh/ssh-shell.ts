import type { Client } from 'ssh2';
import type { HostShell, ShellExecOptions } from '../actions/host-shell';
import { execCommand } from './exec-command';

/** A HostShell on one SSH connection. */
export function sshShell(client: Client, where: string): HostShell {
  return {
    where,
    exec: (script: string, options: ShellExecOptions = {}) => execCommand(client, script, { ...options, where }),
    close: () => client.end(),
  };
}
