import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localShell } from '../../src/actions/local-shell';
import { renderTemplate, writeTemplate } from '../../src/actions/template-action';
import { HostLog } from '../../src/activities/host-log';
import { SecretMasker } from '../../src/env/mask-secrets';

describe('writeTemplate', () => {
  const base = mkdtempSync(join(tmpdir(), 'hades-template-'));
  const configDir = join(base, 'config');
  const target = join(base, 'host');
  require('node:fs').mkdirSync(configDir);
  require('node:fs').mkdirSync(target);
  writeFileSync(join(configDir, 'app.liquid'), 'user={{ Env.USER_NAME }} token={{ Env.TOKEN }} on {{ Host.Name }}\n');

  const context = () => ({
    shell: localShell(configDir, 'local'),
    env: { USER_NAME: 'app', TOKEN: 's3cr3t-value' },
    log: new HostLog(join(base, 'logs'), 'run-1', 'web-1').maskWith(new SecretMasker(['s3cr3t-value'])),
    configDir,
    artifacts: {},
    registries: {},
    host: { name: 'web-1', addr: '127.0.1.1', port: 22, user: 'root' },
    target: 'web',
    renderDir: join(base, 'logs', 'run-1', 'rendered', 'web-1'),
  });

  it('writes the real values to the destination, and keeps a masked copy for inspection', async () => {
    const outcome = await writeTemplate({ kind: 'template', index: 2, src: 'app.liquid', dst: join(target, 'app.conf'), mode: 0o600 }, context());

    expect(outcome.status).toBe('succeeded');
    expect(readFileSync(join(target, 'app.conf'), 'utf8')).toBe('user=app token=s3cr3t-value on web-1\n');
    expect(statSync(join(target, 'app.conf')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(base, 'logs', 'run-1', 'rendered', 'web-1', '2-app.conf'), 'utf8')).toBe('user=app token=*** on web-1\n');
  });

  it('finds includes beside the template, whatever folder the worker runs in', () => {
    require('node:fs').mkdirSync(join(configDir, 'tpl'), { recursive: true });
    writeFileSync(join(configDir, 'tpl', 'main.liquid'), 'a {% include "part.liquid" %}');
    writeFileSync(join(configDir, 'tpl', 'part.liquid'), 'b={{ Host.Name }}');
    const rendered = renderTemplate({ kind: 'template', index: 0, src: 'tpl/main.liquid', dst: '/x' }, context());
    expect(rendered.toString()).toBe('a b=web-1');
  });

  it('stops a runaway loop quickly instead of holding the worker', () => {
    writeFileSync(join(configDir, 'big.liquid'), '{% for i in (1..100000000) %}x{% endfor %}');
    const started = Date.now();
    expect(() => renderTemplate({ kind: 'template', index: 0, src: 'big.liquid', dst: '/x' }, context())).toThrow(/template .*big.liquid: .*(limit|exceeded)/i);
    console.log(`runaway template stopped after ${Date.now() - started} ms`);
  });
});
