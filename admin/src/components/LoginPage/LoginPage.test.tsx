import { fireEvent, screen, waitFor } from '@testing-library/react';
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64UrlDecode, base64UrlEncode } from '../../ca/sign';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { caSignIn, LoginPage } from '.';

afterEach(() => vi.unstubAllGlobals());

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n';

async function pemWithKey() {
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const der = Buffer.from(await subtle.exportKey('pkcs8', pair.privateKey)).toString('base64');
  return { pair, text: `${CERT}-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----\n` };
}

const me = { accountId: 2, loginName: 'X', role: 'enterprise', authMethod: 'ca', mustChangePassword: false, organisation: null, personNameMasked: null };

describe('Console / Login / CA certificate (E1)', () => {
  it('asks for a challenge, signs its bytes and sends certificate and signature', async () => {
    const { pair, text } = await pemWithKey();
    const challenge = base64UrlEncode(webcrypto.getRandomValues(new Uint8Array(32)));
    const calls = fakeServer((c) => (c.url.endsWith('/ca/challenges') ? { status: 201, body: { challengeId: 'c1', challenge, expiresAt: '2026-12-01T00:05:00Z' } } : { status: 201, body: { me } }));
    expect(await caSignIn(new Blob([text]), subtle)).toEqual(me);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/v1/console/ca/challenges', 'POST /api/v1/console/ca/sessions']);
    const sent = calls[1].body as { challengeId: string; certificatePem: string; signature: string };
    expect(sent.challengeId).toBe('c1');
    expect(sent.certificatePem).toBe(CERT);
    const ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, base64UrlDecode(sent.signature) as Uint8Array<ArrayBuffer>, base64UrlDecode(challenge) as Uint8Array<ArrayBuffer>);
    expect(ok).toBe(true);
  });

  it('a file without a key is refused before anything is sent', async () => {
    const calls = fakeServer(() => ({ status: 500 }));
    await expect(caSignIn(new Blob([CERT]), subtle)).rejects.toThrow('没有私钥');
    expect(calls).toHaveLength(0);
  });

  it('the page shows the server refusal of the certificate', async () => {
    const { text } = await pemWithKey();
    vi.stubGlobal('crypto', { subtle });
    const challenge = base64UrlEncode(new Uint8Array(32));
    fakeServer((c) => (c.url.endsWith('/ca/challenges') ? { status: 201, body: { challengeId: 'c1', challenge, expiresAt: '' } } : refuse(401, 'CA_CERT_UNTRUSTED', '证书不是由指定的 CA 签发的，不能用于登录')));
    renderUi(<LoginPage onSignedIn={() => {}} />);
    fireEvent.click(screen.getByTestId('login-tab-ca'));
    const input = (await screen.findByTestId('ca-file')) as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File([text], 'ent.pem')] } });
    fireEvent.click(screen.getByTestId('ca-submit'));
    await waitFor(() => expect(screen.getByTestId('ca-error').textContent).toContain('证书不是由指定的 CA 签发的，不能用于登录'));
  });
});

describe('Console / Login / password', () => {
  it('requires user name and password; a bad one shows the server message', async () => {
    const calls = fakeServer(() => refuse(401, 'CONSOLE_BAD_CREDENTIALS', '用户名或密码错误'));
    const onSignedIn = vi.fn();
    renderUi(<LoginPage onSignedIn={onSignedIn} />);
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByText('请输入用户名')).toBeTruthy();
    fireEvent.change(screen.getByTestId('login-name'), { target: { value: 'gov1' } });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('login-submit'));
    expect(await screen.findByText('用户名或密码错误')).toBeTruthy();
    expect(calls[0]).toMatchObject({ url: '/api/v1/console/sessions', body: { loginName: 'gov1', password: 'x' } });
    expect(onSignedIn).not.toHaveBeenCalled();
  });
});
