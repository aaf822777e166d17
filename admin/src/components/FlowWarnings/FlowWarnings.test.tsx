import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CrowdFlowCard, CrowdFlowRow } from '@bamin/common/pointApi';
import { fakeServer, renderUi } from '../../../test/render';
import { CrowdSettingModal, LiveCards, WINDOW_HELP, warningLineProblem } from '.';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const row: CrowdFlowRow = { servicePointId: 5, servicePointName: '单位食堂', setting: null };

describe('Console / Crowd flow (D9, E9)', () => {
  it.each([
    [100, 90, null],
    [100, 100, null],
    [100, 101, '预警线人数不能大于人流上限数量'],
    [null, 5, null],
  ] as const)('capacity %s, warning line %s → %s', (c, w, problem) => {
    expect(warningLineProblem(c, w)).toBe(problem);
  });

  it('the modal shows the manual\'s help and refuses a warning line above the capacity', async () => {
    const calls = fakeServer(() => ({ status: 200, body: { ...row, setting: { capacity: 10, warningLine: 8, windowMinutes: 30 } } }));
    const saved = vi.fn();
    renderUi(<CrowdSettingModal open row={row} rows={[row]} onClose={() => {}} onSaved={saved} />);
    expect(screen.getByTestId('cf-form-help').textContent).toBe(WINDOW_HELP);
    const num = (id: string, v: string) => fireEvent.change(screen.getByTestId(id).querySelector('input') ?? screen.getByTestId(id), { target: { value: v } });
    num('cf-form-capacity', '10');
    num('cf-form-warning', '11');
    fireEvent.click(screen.getByTestId('cf-form-submit'));
    expect(await screen.findByText('预警线人数不能大于人流上限数量')).toBeTruthy();
    expect(calls).toHaveLength(0);
    num('cf-form-warning', '8');
    fireEvent.click(screen.getByTestId('cf-form-submit'));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({ method: 'PUT', url: '/api/v1/console/crowd-flow/5', body: { capacity: 10, warningLine: 8, windowMinutes: 30 } });
  });

  it('the live cards poll and show 预警', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const card = (current: number, state: CrowdFlowCard['state'], stateText: string): CrowdFlowCard => ({ servicePointId: 5, servicePointName: '单位食堂', capacity: 3, warningLine: 2, windowMinutes: 30, current, state, stateText, updatedAt: '2026-12-01T08:00:00Z' });
    let n = 0;
    const calls = fakeServer(() => ({ status: 200, body: [n++ === 0 ? card(1, 'normal', '正常') : card(2, 'warning', '预警')] }));
    renderUi(<LiveCards pollMs={5000} />);
    expect((await screen.findByTestId('cf-card-state-5')).textContent).toBe('正常');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    await waitFor(() => expect(screen.getByTestId('cf-card-state-5').textContent).toBe('预警'));
    expect(screen.getByTestId('cf-card-current-5').textContent).toBe('2');
    expect(calls.every((c) => c.url === '/api/v1/console/crowd-flow/live')).toBe(true);
  });
});
