// 扫一扫 → 服务单位健康码 → 信息登记 (C1–C4): the scan entry, the point page and the registration page.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import Point, { latestTemperatureText } from '../src/pages/point/index';
import Register, { DEDUP_NOTE, REGISTER_NOTICE } from '../src/pages/register/index';
import Code from '../src/pages/code/index';
import { forgetPoint, rememberPoint, scanTarget, tokenFromScan } from '../src/services/point';
import { validateRegistration } from '../src/pages/register/validate';
import { CODES, greenSelf } from './fixtures';
import { POINT_TOKEN, pointPage, registration, tokenOf } from './pointFixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  getServicePointByToken: jest.fn(),
  submitRegistration: jest.fn(),
  getMe: jest.fn(),
  getCode: jest.fn(),
  listCodes: jest.fn(),
  unreadMessageCount: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;
const { ApiError } = jest.requireActual('../src/services/api') as typeof api;

const refusal = (code: string, message: string, status = 400) => new ApiError(message, status, code);

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  forgetPoint();
  routerState.params = { token: POINT_TOKEN };
});

describe('what a scanned text means', () => {
  it('takes the token itself or a link carrying token=', () => {
    expect(tokenFromScan(` ${POINT_TOKEN} `)).toBe(POINT_TOKEN);
    expect(tokenFromScan(`https://hc.example.cn/h5/#/pages/point/index?token=${POINT_TOKEN}`)).toBe(POINT_TOKEN);
    expect(tokenFromScan(`pages/point/index?a=1&token=${encodeURIComponent(POINT_TOKEN)}`)).toBe(POINT_TOKEN);
  });

  it.each([
    ['a poster token', POINT_TOKEN, { ok: true, token: POINT_TOKEN }],
    ['a poster link', `https://x/h5/#/pages/point/index?token=${POINT_TOKEN}`, { ok: true, token: POINT_TOKEN }],
    ['a personal code', tokenOf('code'), { ok: false, problem: '这是个人健康码，不是服务单位健康码，请扫描服务单位张贴的二维码' }],
    ['any other text', 'https://example.com/', { ok: false, problem: '未识别到服务单位健康码，请扫描服务单位张贴的二维码' }],
  ])('%s', (_name, text, expected) => {
    expect(scanTarget(text)).toEqual(expected);
  });
});

describe('扫一扫 on the code page (weapp: Taro.scanCode)', () => {
  beforeEach(() => {
    routerState.params = {};
    mocked.getCode.mockResolvedValue(greenSelf());
    mocked.listCodes.mockResolvedValue(CODES);
    mocked.unreadMessageCount.mockResolvedValue(0);
  });

  it('sits beside 健康上报 and 站内消息 and opens the point page of a scanned poster', async () => {
    (Taro.scanCode as jest.Mock).mockResolvedValue({ result: POINT_TOKEN });
    render(<Code />);
    await screen.findByTestId('code-number');
    expect(screen.getByTestId('app-entries').textContent).toBe('扫一扫健康上报站内消息');
    await act(async () => {
      fireEvent.click(screen.getByTestId('entry-scan'));
    });
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/point/index?token=${encodeURIComponent(POINT_TOKEN)}` });
  });

  it('says so when a personal code is scanned, and stays silent on a cancel', async () => {
    (Taro.scanCode as jest.Mock).mockResolvedValueOnce({ result: tokenOf('code') }).mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' });
    render(<Code />);
    await screen.findByTestId('code-number');
    await act(async () => {
      fireEvent.click(screen.getByTestId('entry-scan'));
    });
    expect(screen.getByTestId('scan-problem').textContent).toContain('这是个人健康码');
    await act(async () => {
      fireEvent.click(screen.getByTestId('entry-scan'));
    });
    expect(screen.queryByTestId('scan-problem')).toBeNull();
    expect(Taro.navigateTo).not.toHaveBeenCalled();
  });
});

describe('服务单位健康码 (pages/point; C1, C2)', () => {
  it('shows the unit, the point, its type, area and address, and the staff on duty with colour and latest temperature', async () => {
    mocked.getServicePointByToken.mockResolvedValue(pointPage());
    render(<Point />);
    expect((await screen.findByTestId('point-unit')).textContent).toBe('福州软件园餐饮有限公司');
    expect(mocked.getServicePointByToken).toHaveBeenCalledWith(POINT_TOKEN);
    expect(screen.getByTestId('point-name').textContent).toBe('软件园9号食堂');
    expect(screen.getByTestId('point-type').textContent).toBe('食堂');
    expect(screen.getByTestId('point-area').textContent).toBe('福建省福州市鼓楼区');
    expect(screen.getByTestId('point-address').textContent).toBe('福州市鼓楼区软件大道89号');
    const staff = screen.getAllByTestId('point-staff-item');
    expect(staff).toHaveLength(2);
    expect(staff[0].textContent).toContain('***工');
    const colours = screen.getAllByTestId('point-staff-colour');
    expect(colours.map((c) => [c.getAttribute('data-colour'), c.textContent])).toEqual([['green', '绿码'], ['orange', '橙码']]);
    expect(colours[0].querySelector('.colour-tag-block')).not.toBeNull();
    const temps = screen.getAllByTestId('point-staff-temperature').map((t) => t.textContent);
    expect(temps).toEqual(['最近体温：36.4℃（2026-12-01 09:30）', '最近体温：暂无体温记录']);
    fireEvent.click(screen.getByTestId('point-register'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/register/index?token=${encodeURIComponent(POINT_TOKEN)}` });
  });

  it('says when nobody is on duty', async () => {
    mocked.getServicePointByToken.mockResolvedValue(pointPage({ staff: [] }));
    render(<Point />);
    expect((await screen.findByTestId('point-staff-empty')).textContent).toBe('暂无在岗员工信息');
  });

  it('C1: a user who never generated a code is told so and offered the way to generate it', async () => {
    mocked.getServicePointByToken.mockRejectedValue(refusal('CODE_REQUIRED_FIRST', '请先生成本人的八闽健康码，再进行扫码登记', 403));
    mocked.getMe.mockResolvedValue({ l4Verified: true, person: { residenceArea: '350102', codeNumber: null } } as any);
    render(<Point />);
    expect((await screen.findByTestId('point-code-required-message')).textContent).toBe('请先生成本人的八闽健康码，再进行扫码登记');
    expect(screen.queryByTestId('point-unit')).toBeNull();
    expect(screen.queryByTestId('point-register')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId('point-generate-code'));
    });
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/profile/index?step=code' });
  });

  it.each([
    ['TOKEN_REVOKED', '二维码已作废'],
    ['TOKEN_BAD_SIGNATURE', '二维码签名无效，可能是伪造或被篡改的健康码'],
    ['TOKEN_WRONG_KIND', '这是个人健康码，不是服务点健康码，请扫描服务点张贴的二维码'],
  ])('%s is a red refusal banner, never a point', async (code, message) => {
    mocked.getServicePointByToken.mockRejectedValue(refusal(code, message));
    render(<Point />);
    const banner = await screen.findByTestId('point-refused');
    expect(banner.getAttribute('data-code')).toBe(code);
    expect(screen.getByTestId('point-refused-message').textContent).toBe(message);
    expect(banner.querySelector('.refusal-banner')).not.toBeNull();
    expect(screen.queryByTestId('point-info')).toBeNull();
    expect(screen.queryByTestId('point-register')).toBeNull();
  });

  it('a page opened without a token is refused without asking the server', async () => {
    routerState.params = {};
    render(<Point />);
    expect(screen.getByTestId('point-refused-message').textContent).toBe('未获取到服务单位健康码');
    expect(mocked.getServicePointByToken).not.toHaveBeenCalled();
  });

  it('a network failure offers a retry', async () => {
    mocked.getServicePointByToken.mockRejectedValueOnce(new ApiError('网络连接失败，请稍后重试', 0, 'NETWORK')).mockResolvedValueOnce(pointPage());
    render(<Point />);
    expect((await screen.findByTestId('point-error')).textContent).toBe('网络连接失败，请稍后重试');
    await act(async () => {
      fireEvent.click(screen.getByTestId('point-retry'));
    });
    expect(screen.getByTestId('point-unit')).toBeTruthy();
  });

  it('a lost session goes to the login page', async () => {
    mocked.getServicePointByToken.mockRejectedValue(refusal('UNAUTHENTICATED', '登录已失效，请重新登录', 401));
    render(<Point />);
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
  });
});

describe('信息登记 (pages/register; C3, C4)', () => {
  async function renderRegister() {
    rememberPoint(POINT_TOKEN, pointPage());
    render(<Register />);
    await screen.findByTestId('register-member-info');
  }

  const row = (id: string) => screen.getByTestId(id).textContent;

  it('shows the notice, the members from the point page and the chosen member\'s masked details; switching updates them', async () => {
    await renderRegister();
    expect(mocked.getServicePointByToken).not.toHaveBeenCalled();
    expect(row('register-notice')).toBe(REGISTER_NOTICE);
    expect(REGISTER_NOTICE).toBe('请您按照各项信息上报本人真实的健康信息：');
    expect(row('register-member')).toBe('本人父母 **华');
    expect(screen.getByTestId('register-member-self').className).toContain('chip-on');
    expect([row('register-name'), row('register-gender'), row('register-id-type'), row('register-id-number'), row('register-phone')])
      .toEqual(['**斌', '男', '居民身份证', '35************0011', '137****1111']);
    fireEvent.click(screen.getByTestId('register-member-17'));
    expect([row('register-name'), row('register-gender'), row('register-id-type'), row('register-id-number'), row('register-phone')])
      .toEqual(['**华', '女', '护照', 'E*****78', '—']);
    expect(screen.getByText('是否有以下症状（必选）')).toBeTruthy();
  });

  it('fetches the point again when opened on its own (e.g. an H5 reload)', async () => {
    mocked.getServicePointByToken.mockResolvedValue(pointPage());
    render(<Register />);
    expect((await screen.findByTestId('register-name')).textContent).toBe('**斌');
    expect(mocked.getServicePointByToken).toHaveBeenCalledWith(POINT_TOKEN);
  });

  it('requires a symptom answer, keeps 无症状 exclusive and requires the 其他症状 text', async () => {
    await renderRegister();
    fireEvent.click(screen.getByTestId('register-submit'));
    expect(row('error-symptoms')).toBe('请选择是否有以下症状');
    expect(row('register-error')).toBe('请检查标红的填写项');
    fireEvent.click(screen.getByTestId('register-symptom-fever'));
    expect(screen.queryByTestId('error-symptoms')).toBeNull();
    fireEvent.click(screen.getByTestId('register-symptom-none'));
    expect(screen.getByTestId('register-symptom-fever').className).not.toContain('chip-on');
    expect(screen.getByTestId('register-symptom-none').className).toContain('chip-on');
    fireEvent.click(screen.getByTestId('register-symptom-other'));
    expect(screen.getByTestId('register-symptom-none').className).not.toContain('chip-on');
    fireEvent.click(screen.getByTestId('register-submit'));
    expect(row('error-otherSymptom')).toBe('请填写其他症状');
    expect(mocked.submitRegistration).not.toHaveBeenCalled();
    expect(validateRegistration('t', { holder: 'self', symptoms: ['none', 'fever'], otherSymptom: '' })).toEqual({ ok: false, errors: { symptoms: '“无症状”不能与其他症状同时选择' } });
  });

  it('posts the token, the chosen member and the symptoms, then shows 登记成功 with the point, time and colour', async () => {
    mocked.submitRegistration.mockResolvedValue(registration({ colour: 'orange', colourText: '橙码' }));
    await renderRegister();
    fireEvent.click(screen.getByTestId('register-member-17'));
    fireEvent.click(screen.getByTestId('register-symptom-fever'));
    fireEvent.click(screen.getByTestId('register-symptom-other'));
    fireEvent.change(screen.getByTestId('register-other-symptom'), { target: { value: ' 头痛 ' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('register-submit'));
    });
    expect(mocked.submitRegistration).toHaveBeenCalledWith({ token: POINT_TOKEN, holder: '17', symptoms: ['fever', 'other'], otherSymptom: '头痛' });
    expect(row('register-result-title')).toBe('登记成功');
    expect(row('register-result-point')).toBe('软件园9号食堂');
    expect(row('register-result-time')).toBe('2026-12-01 10:05:09');
    expect(screen.getByTestId('register-result-colour').getAttribute('data-colour')).toBe('orange');
    expect(row('register-result-colour')).toBe('橙码');
    expect(screen.queryByTestId('register-dedup')).toBeNull();
    fireEvent.click(screen.getByTestId('register-done'));
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/code/index' });
  });

  it('sends otherSymptom null without 其他症状 and notes when a repeat within 10 minutes was not counted', async () => {
    mocked.submitRegistration.mockResolvedValue(registration({ counted: false }));
    await renderRegister();
    fireEvent.click(screen.getByTestId('register-symptom-none'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('register-submit'));
    });
    expect(mocked.submitRegistration).toHaveBeenCalledWith({ token: POINT_TOKEN, holder: 'self', symptoms: ['none'], otherSymptom: null });
    expect(row('register-result-title')).toBe('登记成功');
    expect(row('register-dedup')).toBe('10 分钟内重复登记只计一次');
    expect(DEDUP_NOTE).toBe('10 分钟内重复登记只计一次');
  });

  it('a poster revoked meanwhile is refused loudly; server field problems land under their fields', async () => {
    mocked.submitRegistration
      .mockRejectedValueOnce(new ApiError('请求参数不正确', 400, 'VALIDATION_FAILED', [{ field: 'symptoms.0', problem: '未知的症状' }]))
      .mockRejectedValueOnce(refusal('TOKEN_REVOKED', '二维码已作废'));
    await renderRegister();
    fireEvent.click(screen.getByTestId('register-symptom-none'));
    await act(async () => {
      fireEvent.click(screen.getByTestId('register-submit'));
    });
    expect(row('register-error')).toBe('请求参数不正确');
    expect(row('error-symptoms')).toBe('未知的症状');
    await act(async () => {
      fireEvent.click(screen.getByTestId('register-submit'));
    });
    expect(row('point-refused-message')).toBe('二维码已作废');
    expect(screen.queryByTestId('register-result')).toBeNull();
  });

  it('C1 on the registration page too', async () => {
    mocked.getServicePointByToken.mockRejectedValue(refusal('CODE_REQUIRED_FIRST', '请先生成本人的八闽健康码，再进行扫码登记', 403));
    render(<Register />);
    expect((await screen.findByTestId('point-code-required-message')).textContent).toContain('请先生成本人的八闽健康码');
  });
});

describe('latestTemperatureText', () => {
  it.each([
    [36.4, '2026-12-01T01:30:00Z', '36.4℃（2026-12-01 09:30）'],
    [37, null, '37.0℃'],
    [null, null, '暂无体温记录'],
  ])('%p at %p → %s', (t, at, text) => {
    expect(latestTemperatureText(t as number | null, at as string | null)).toBe(text);
  });
});
