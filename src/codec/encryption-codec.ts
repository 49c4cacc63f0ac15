import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { EncryptionKey } from './encryption-key';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts every payload a run stores in Temporal (inputs, results, heartbeats, memo, summaries)
 * with AES-256-GCM under a fresh random IV, and names the key in the payload's metadata. The same
 * codec in the client and the worker; Temporal's server only ever sees ciphertext. Payloads that
 * are not encrypted (runs from before a key was set) are decoded as they are.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly key: EncryptionKey) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.key.bytes, iv);
    const sealed = Buffer.concat([cipher.update(serializePayload(payload)), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.key.id) },
      data: Buffer.concat([iv, sealed]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const metadata = payload.metadata ?? {};
    if (text(metadata.encoding) !== ENCRYPTED_ENCODING) return payload;

    const keyId = text(metadata[KEY_ID_METADATA]) ?? '(none)';
    if (keyId !== this.key.id) {
      throw new Error(`a payload is encrypted with key ${keyId}, but the key set (HADES_ENCRYPTION_KEY or _FILE) is ${this.key.id}`);
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`an encrypted payload is too short (${data.length} bytes) to hold an IV and a tag`);
    const decipher = createDecipheriv(CIPHER, this.key.bytes, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return parsePayload(Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]));
    } catch {
      throw new Error(`an encrypted payload fails its integrity check under key ${keyId}: it was changed or damaged`);
    }
  }
}

/** A payload as JSON: its metadata and data in base64, the form codec servers exchange too. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export function payloadToJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

export function payloadFromJson(json: JsonPayload): Payload {
  const metadata = Object.fromEntries(Object.entries(json.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  return { metadata, data: Buffer.from(json.data ?? '', 'base64') };
}

function serializePayload(payload: Payload): Buffer {
  return Buffer.from(JSON.stringify(payloadToJson(payload)), 'utf8');
}

function parsePayload(bytes: Buffer): Payload {
  return payloadFromJson(JSON.parse(bytes.toString('utf8')) as JsonPayload);
}

function utf8(value: string): Uint8Array {
  return Buffer.from(value, 'utf8');
}

function text(value: Uint8Array | null | undefined): string | undefined {
  return value ? Buffer.from(value).toString('utf8') : undefined;
}
