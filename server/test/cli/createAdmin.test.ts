// npm run create-admin -- <user name>: the health department's console account, with a one-time password.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli/createAdmin.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...ctx.env, LOG_LEVEL: 'warn', CLOCK_FIXED_AT: ctx.clock.now().toISOString() },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('npm run create-admin', () => {
  it('creates the health department\'s account; its one-time password signs in and must be changed', async () => {
    const run = cli('wjw-cli');
    expect(run.status, run.stderr).toBe(0);
    const password = /初始密码: (\S+)/.exec(run.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z\d]{12}$/);
    const res = await ctx.http.post('/api/v1/console/sessions').send({ loginName: 'wjw-cli', password });
    expect(res.status).toBe(201);
    expect(res.body.me).toMatchObject({ role: 'health_department', mustChangePassword: true });
  });

  it('refuses a taken or malformed user name, and no argument, with exit code 2', () => {
    expect(cli('wjw-cli').status).toBe(2);
    const bad = cli('1bad name');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('用户名须为');
    expect(cli().stderr).toContain('用法');
  });
});
