import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, renderUi } from '../../../test/render';
import { areaPath } from '../AreaCascader';
import { ServicePointFormModal, toPointRequest } from '.';

afterEach(() => vi.unstubAllGlobals());

describe('Console / Service points / form (D8, E8)', () => {
  it('a county code opens as province, city, county', () => {
    expect(areaPath('350102')).toEqual(['350000', '350100', '350102']);
  });

  it('builds the request from the form', () => {
    expect(toPointRequest({ name: ' 东门 ', address: ' 某路1号 ', area: ['350000', '350100', '350102'], type: 'entrance', staffEmployeeIds: [3] })).toEqual({
      name: '东门',
      address: '某路1号',
      areaCode: '350102',
      type: 'entrance',
      staffEmployeeIds: [3],
    });
  });

  it('requires name, address, county and type, and sends nothing then', async () => {
    const calls = fakeServer((c) => (c.url.startsWith('/api/v1/console/areas') ? { status: 200, body: { areas: [] } } : { status: 200, body: { items: [], page: 1, pageSize: 50, total: 0 } }));
    renderUi(<ServicePointFormModal open point={null} onClose={() => {}} onSaved={() => {}} />);
    fireEvent.click(screen.getByTestId('sp-form-submit'));
    expect(await screen.findByText('请输入服务点名称')).toBeTruthy();
    expect(await screen.findByText('请输入地址')).toBeTruthy();
    expect(await screen.findByText('请选择区县')).toBeTruthy();
    expect(await screen.findByText('请选择服务点类型')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.url.startsWith('/api/v1/console/employees'))).toBe(true));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
