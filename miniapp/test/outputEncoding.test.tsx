// Output encoding (issue 11): a person's name, a scan point's name and a message come from people and
// units, so they may be markup or look like a spreadsheet formula. The pages show them as text: the
// literal characters, and no element made from them (on H5 React escapes them; the mini-program has no
// HTML at all, and no page uses RichText).
import { render, screen, within } from '@testing-library/react';
import type { MessagePage, MessageView } from '@bamin/common/appApi';
import { resetTaroMock } from './mocks/taro';
import * as api from '../src/services/api';
import * as staff from '../src/services/staff';
import Code from '../src/pages/code/index';
import Messages, { MESSAGES_PAGE_SIZE } from '../src/pages/messages/index';
import StaffHome from '../src/pages/staff/home/index';
import StaffResult from '../src/pages/staff/result/index';
import { setOutcome } from '../src/services/staffStore';
import { greenSelf } from './fixtures';
import { POINT, record, scanResult, staffMe } from './staffFixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  getCode: jest.fn(),
  listCodes: jest.fn(),
  unreadMessageCount: jest.fn(),
  listMessages: jest.fn(),
  markMessageRead: jest.fn(),
}));
jest.mock('../src/services/staff', () => ({
  ...jest.requireActual('../src/services/staff'),
  getStaffMe: jest.fn(),
  fetchCodeKeys: jest.fn(),
}));

const mockedApi = api as jest.Mocked<typeof api>;
const mockedStaff = staff as jest.Mocked<typeof staff>;

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example","x")';

/** Nothing in the document was made from the hostile strings. */
function expectNothingInjected(container: HTMLElement) {
  expect(container.querySelector('script, img[src="x"]')).toBeNull();
  expect(document.querySelector('script, img[src="x"], [onerror]')).toBeNull();
}

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  setOutcome(null);
});

describe('output encoding', () => {
  it.each([SCRIPT, IMG])('the code page shows the name %s as text', async (name) => {
    mockedApi.getCode.mockResolvedValue(greenSelf({ nameMasked: name }));
    mockedApi.listCodes.mockResolvedValue([{ holder: 'self', relation: 'self', nameMasked: name, colour: 'green' }]);
    mockedApi.unreadMessageCount.mockResolvedValue(0);
    const { container } = render(<Code />);
    expect((await screen.findByTestId('name-masked')).textContent).toBe(name);
    expect(screen.getByText(name)).toBeTruthy();
    expectNothingInjected(container);
  });

  it('the scanner result shows the person, the residence, the card text and the records\' addresses as text', () => {
    setOutcome({
      kind: 'result',
      result: scanResult({
        person: { nameMasked: SCRIPT, idMasked: '35*****034', residence: FORMULA },
        recentScans: [record({ id: 101, address: `${FORMULA} ${IMG}` }), record({ id: 100, address: IMG })],
        card: { expiresAt: '2027-06-01T00:00:00Z', validUntil: '2027-06-01', text: IMG },
      }),
    });
    const { container } = render(<StaffResult />);
    expect(screen.getByTestId('result-name').textContent).toBe(SCRIPT);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getByTestId('result-residence').textContent).toBe(FORMULA);
    expect(screen.getByText(FORMULA)).toBeTruthy();
    expect(screen.getByTestId('result-card').textContent).toBe(IMG);
    const addresses = within(screen.getByTestId('recent-scans')).getAllByTestId('record-address').map((a) => a.textContent);
    expect(addresses).toEqual([`${FORMULA} ${IMG}`, IMG]);
    expect(screen.getByText(`${FORMULA} ${IMG}`)).toBeTruthy();
    expectNothingInjected(container);
  });

  it('the scanner\'s home shows the scan point\'s community and point names as text', async () => {
    mockedStaff.getStaffMe.mockResolvedValue(staffMe({ scanPoint: { ...POINT, communityName: FORMULA, pointName: SCRIPT, location: IMG } }));
    mockedStaff.fetchCodeKeys.mockResolvedValue({});
    const { container } = render(<StaffHome />);
    expect((await screen.findByTestId('point-summary-name')).textContent).toBe(`${FORMULA} · ${SCRIPT}`);
    expectNothingInjected(container);
  });

  it('the messages page shows titles, bodies and senders as text', async () => {
    const message = (id: number, over: Partial<MessageView>): MessageView => ({
      id, kind: 'reminder', title: '健康上报提醒', body: '请及时完成今日健康上报', senderName: '福州市鼓楼区卫健局',
      createdAt: '2026-12-01T00:05:00Z', readAt: null, ...over,
    });
    const page: MessagePage = {
      items: [message(2, { title: SCRIPT, body: FORMULA, senderName: IMG }), message(1, { title: IMG, body: `${SCRIPT}${FORMULA}` })],
      unread: 2, page: 1, pageSize: MESSAGES_PAGE_SIZE, total: 2,
    };
    mockedApi.listMessages.mockResolvedValue(page);
    const { container } = render(<Messages />);
    expect((await screen.findByTestId('message-2-title')).textContent).toBe(SCRIPT);
    expect(screen.getByTestId('message-2-body').textContent).toBe(FORMULA);
    expect(screen.getByTestId('message-2-sender').textContent).toBe(IMG);
    expect(screen.getByTestId('message-1-title').textContent).toBe(IMG);
    expect(screen.getByTestId('message-1-body').textContent).toBe(`${SCRIPT}${FORMULA}`);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getByText(FORMULA)).toBeTruthy();
    expectNothingInjected(container);
  });
});
