import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import { readEncryptionKey } from './encryption-key';

/**
 * The data converter of every client and worker: encrypting when a key is set, Temporal's default
 * otherwise. Client and worker must agree, so both take it from here.
 */
export function hadesDataConverter(env: NodeJS.ProcessEnv = process.env): { dataConverter?: DataConverter } {
  const key = readEncryptionKey(env);
  return key ? { dataConverter: { payloadCodecs: [new EncryptionCodec(key)] } } : {};
}
