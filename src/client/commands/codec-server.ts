import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { EncryptionCodec, payloadFromJson, payloadToJson, type JsonPayload } from '../../codec/encryption-codec';
import { readEncryptionKey } from '../../codec/encryption-key';
import { parseCommandArgs } from '../cli-args';
import { err, out, type Command } from '../command';
import { UserError } from '../user-error';

const OPTIONS = {
  port: { type: 'string', default: '8081' },
  'allow-origin': { type: 'string', multiple: true },
} as const;

const DEFAULT_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'];
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export const codecServerCommand: Command = {
  name: 'codec-server',
  summary: 'decrypt runs for the Temporal Web UI and CLI: POST /encode and /decode on 127.0.0.1',
  usage: [
    'usage: hades codec-server [--port 8081] [--allow-origin URL]...',
    '',
    'Serves the payload codec of encrypted runs (HADES_ENCRYPTION_KEY or HADES_ENCRYPTION_KEY_FILE)',
    'on 127.0.0.1, so the Web UI shows their inputs, results and summaries in the browser, and the',
    'Temporal server still holds ciphertext only. Start the dev server with',
    '`hades dev --ui-codec-endpoint http://127.0.0.1:8081`, or set the endpoint in the Web UI.',
    '',
    '  --port N               port on 127.0.0.1 (default 8081)',
    '  --allow-origin URL     a Web UI origin that may call it (repeatable; default',
    `                         ${DEFAULT_ORIGINS.join(' and ')})`,
  ],
  async run(argv) {
    const { values } = parseCommandArgs('codec-server', argv, OPTIONS);
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`--port ${values.port}: expected a port from 1 to 65535`, undefined, 2);
    const key = readEncryptionKey();
    if (!key) throw new UserError('no encryption key: set HADES_ENCRYPTION_KEY or HADES_ENCRYPTION_KEY_FILE', 'use the key that the runs were started with');

    const server = createCodecServer(new EncryptionCodec(key), values['allow-origin'] ?? DEFAULT_ORIGINS);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new UserError(`127.0.0.1:${port} is not free (${error.code ?? error.message})`, 'pick another --port')));
      server.listen(port, '127.0.0.1', resolve);
    });
    out(`codec server on http://127.0.0.1:${port} (key ${key.id}), for origins ${(values['allow-origin'] ?? DEFAULT_ORIGINS).join(', ')}`);
    err('  Ctrl-C stops it');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    server.close();
    return 0;
  },
};

/** The codec over HTTP as the Web UI and `temporal --codec-endpoint` call it. */
export function createCodecServer(codec: EncryptionCodec, origins: readonly string[]) {
  return createServer((request, response) => {
    const origin = request.headers.origin;
    if (origin && origins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization, Caller-Type');
      response.setHeader('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const path = (request.url ?? '').split('?')[0].replace(/\/+$/, '');
    if (request.method !== 'POST' || (path !== '/encode' && path !== '/decode')) {
      return void reply(response, 404, { message: 'POST /encode or /decode' });
    }
    handle(request, path === '/encode' ? (payloads) => codec.encode(payloads) : (payloads) => codec.decode(payloads))
      .then((body) => reply(response, 200, body))
      .catch((error: Error) => reply(response, 400, { message: error.message }));
  });
}

async function handle(request: IncomingMessage, transform: EncryptionCodec['encode']): Promise<{ payloads: JsonPayload[] }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: JsonPayload[] };
  if (!Array.isArray(body.payloads)) throw new Error('expected a JSON body { "payloads": [...] }');
  const payloads = await transform(body.payloads.map(payloadFromJson));
  return { payloads: payloads.map(payloadToJson) };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
