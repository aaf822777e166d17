// The leak check every test context runs at close (helpers/piiLeak.ts) can fail: a full ID number
// in a log line or a response is found and named (masked), whichever table holds it encrypted.
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/context';
import { findLeaks } from '../helpers/piiLeak';
import { residentId } from '../helpers/people';
import { personWithCode } from '../helpers/staff';

describe('the leak check', () => {
  it('finds a full ID number in a log line and in a response, and fails the close', async () => {
    const ctx = await createTestContext();
    const idNumber = residentId('350102', '19900101', 991);
    await personWithCode(ctx, { name: '泄漏测试', idNumber });
    expect(await findLeaks(ctx.deps, ctx.capture)).toEqual([]);
    // the logger scrubs ID numbers itself (server/src/logger.ts): what reached the captured lines is clean
    ctx.deps.logger.info({ note: `id ${idNumber}` }, 'a careless line');
    expect(ctx.capture.logLines.join('\n')).not.toContain(idNumber);
    ctx.capture.logLines.push(`{"msg":"raw ${idNumber}"}`);
    ctx.capture.responses.push({ route: 'GET /api/v1/example', text: `{"x":"${idNumber.toLowerCase()}"}` });
    const leaks = await findLeaks(ctx.deps, ctx.capture);
    expect(leaks).toEqual([expect.stringMatching(/^log line holds 350…\d\d: /), 'response of GET /api/v1/example holds ' + `${idNumber.slice(0, 3)}…${idNumber.slice(-2)}`]);
    await expect(ctx.close()).rejects.toThrow('personal data leaked in this test file');
  });
});
