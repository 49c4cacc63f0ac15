import { dearmor } from '../../src/actions/gpg-action';
import { ActionError } from '../../src/actions/action-error';

describe('dearmor', () => {
  const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
  const armored = (body: string[]) => Buffer.from(['-----BEGIN PGP PUBLIC KEY BLOCK-----', ...body, '-----END PGP PUBLIC KEY BLOCK-----', ''].join('\n'));

  it('returns the bytes between the armor lines, without headers and checksum', () => {
    const body = ['Version: x', '', ...bytes.toString('base64').match(/.{1,40}/g)!, '=AbCd'];
    expect(dearmor(armored(body), 'key.asc')).toEqual(bytes);
  });

  it('reads an armor with no header lines', () => {
    expect(dearmor(armored([bytes.toString('base64')]), 'key.asc')).toEqual(bytes);
  });

  it('refuses a file that is not an armored key, saying what to do', () => {
    expect(() => dearmor(Buffer.from('binary'), 'https://keys/k.gpg')).toThrow(new ActionError('https://keys/k.gpg is not an ASCII-armored public key'));
  });
});
