import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock } from './mocks/taro';
import * as api from '../src/services/api';
import Family, { COMMITMENT_PARAGRAPHS, FAMILY_NOTICE } from '../src/pages/family/index';
import { HEALTH_QUESTION_TEXT } from '@bamin/common/appApi';
import { checkResidentId } from '@bamin/common/ids';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  applyFamily: jest.fn(),
  sendSmsCode: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

const VALID_ID = '11010519491231002X';
const BAD_CHECK_DIGIT_ID = '110105194912310021';

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
});

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

function fillValid() {
  fireEvent.click(screen.getByTestId('family-relation-parent'));
  type('family-name', ' 张斌 ');
  fireEvent.click(screen.getByTestId('family-id-type-resident_id'));
  type('family-id-number', VALID_ID.toLowerCase());
  type('family-phone', '138 0013 8000');
  type('family-sms-code', '123456');
  fireEvent.click(screen.getByTestId('family-q-inFujian-yes'));
  fireEvent.click(screen.getByTestId('family-q-leftFujianIn14Days-no'));
  fireEvent.click(screen.getByTestId('family-q-isolatedOrContactOrRecentlyDischarged-no'));
  fireEvent.click(screen.getByTestId('family-q-feverOrRespiratorySymptoms-no'));
  fireEvent.click(screen.getByTestId('family-q-otherAbnormalHealth-no'));
  fireEvent.click(screen.getByTestId('family-commitment'));
}

describe('family application form', () => {
  it('uses a valid and an invalid resident ID in these tests', () => {
    expect(checkResidentId(VALID_ID).ok).toBe(true);
    expect(checkResidentId(BAD_CHECK_DIGIT_ID)).toEqual({ ok: false, problem: '身份证号码校验位不正确' });
  });

  it('shows the notice, the five health questions and the commitment verbatim', () => {
    render(<Family />);
    expect(screen.getByTestId('family-notice').textContent).toBe(FAMILY_NOTICE);
    for (const text of Object.values(HEALTH_QUESTION_TEXT)) expect(screen.getByText(text)).toBeTruthy();
    expect(screen.getByText('本人郑重承诺')).toBeTruthy();
    expect(COMMITMENT_PARAGRAPHS[0]).toBe(
      '为疫情防控，本人确认已获取被领人合法有效授权，同意将以上信息依法提交到省疫情防控部门统筹管理。本人承诺未经被领人同意，不会擅自使用及披露被领人的健康码。如有违反，本人愿承担相应的法律责任。',
    );
    for (const p of COMMITMENT_PARAGRAPHS) expect(screen.getByText(p)).toBeTruthy();
    for (const r of ['父母', '配偶父母', '子女', '配偶']) expect(screen.getByText(r)).toBeTruthy();
    for (const t of ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证']) expect(screen.getByText(t)).toBeTruthy();
  });

  it('requires every field on an empty form and does not submit', () => {
    render(<Family />);
    fireEvent.click(screen.getByTestId('family-submit'));
    expect(screen.getByTestId('error-relation').textContent).toBe('请选择他/她与您的关系');
    expect(screen.getByTestId('error-name').textContent).toBe('请输入他/她的姓名');
    expect(screen.getByTestId('error-idType').textContent).toBe('请选择他/她的证件类型');
    expect(screen.getByTestId('error-idNumber').textContent).toBe('请输入他/她的证件号码');
    expect(screen.getByTestId('error-phone').textContent).toBe('手机号码不能为空');
    expect(screen.getByTestId('error-smsCode').textContent).toBe('请输入验证码');
    expect(screen.getByTestId('error-inFujian').textContent).toBe('请选择“是”或“否”');
    expect(screen.getByTestId('error-commitment').textContent).toBe('请阅读并勾选“本人郑重承诺”');
    expect(mocked.applyFamily).not.toHaveBeenCalled();
  });

  it('rejects a missing name', () => {
    render(<Family />);
    fillValid();
    type('family-name', '   ');
    fireEvent.click(screen.getByTestId('family-submit'));
    expect(screen.getByTestId('error-name').textContent).toBe('请输入他/她的姓名');
    expect(screen.queryByTestId('error-idNumber')).toBeNull();
    expect(mocked.applyFamily).not.toHaveBeenCalled();
  });

  it('rejects a resident ID with a wrong check digit', () => {
    render(<Family />);
    fillValid();
    type('family-id-number', BAD_CHECK_DIGIT_ID);
    fireEvent.click(screen.getByTestId('family-submit'));
    expect(screen.getByTestId('error-idNumber').textContent).toBe('身份证号码校验位不正确');
    expect(mocked.applyFamily).not.toHaveBeenCalled();
  });

  it('rejects a malformed mobile number', () => {
    render(<Family />);
    fillValid();
    type('family-phone', '1234567');
    fireEvent.click(screen.getByTestId('family-submit'));
    expect(screen.getByTestId('error-phone').textContent).toBe('手机号码格式不正确，应为11位中国大陆手机号码');
    expect(mocked.applyFamily).not.toHaveBeenCalled();
  });

  it('requires the commitment to be ticked', () => {
    render(<Family />);
    fillValid();
    fireEvent.click(screen.getByTestId('family-commitment')); // untick
    fireEvent.click(screen.getByTestId('family-submit'));
    expect(screen.getByTestId('error-commitment').textContent).toBe('请阅读并勾选“本人郑重承诺”');
    expect(screen.queryByTestId('error-name')).toBeNull();
    expect(mocked.applyFamily).not.toHaveBeenCalled();
  });

  it('asks for the country and birth date of a passport holder', () => {
    render(<Family />);
    fillValid();
    fireEvent.click(screen.getByTestId('family-id-type-passport'));
    type('family-id-number', 'E12345678');
    fireEvent.click(screen.getByTestId('family-submit'));
    expect(screen.getByTestId('error-country').textContent).toContain('护照须填写签发国家或地区');
    expect(screen.getByTestId('error-birthDate').textContent).toBe('请选择他/她的出生日期');
    expect(mocked.applyFamily).not.toHaveBeenCalled();
  });

  it('submits the exact payload of a valid form and opens the new code', async () => {
    mocked.applyFamily.mockResolvedValue({ holder: '42', relation: 'parent', nameMasked: '*斌', colour: 'green' });
    render(<Family />);
    fillValid();
    fireEvent.click(screen.getByTestId('family-submit'));
    await waitFor(() => expect(mocked.applyFamily).toHaveBeenCalledTimes(1));
    expect(mocked.applyFamily).toHaveBeenCalledWith({
      relation: 'parent',
      name: '张斌',
      idType: 'resident_id',
      idNumber: VALID_ID,
      country: null,
      birthDate: null,
      phone: '13800138000',
      smsCode: '123456',
      answers: {
        inFujian: true,
        leftFujianIn14Days: false,
        isolatedOrContactOrRecentlyDischarged: false,
        feverOrRespiratorySymptoms: false,
        otherAbnormalHealth: false,
      },
      commitmentAccepted: true,
    });
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/code/index?holder=42' }));
  });

  it("shows the server's message when the application is refused", async () => {
    mocked.applyFamily.mockRejectedValue(new api.ApiError('父母（含配偶父母）最多申领4名', 409, 'FAMILY_LIMIT'));
    render(<Family />);
    fillValid();
    fireEvent.click(screen.getByTestId('family-submit'));
    expect((await screen.findByTestId('family-error')).textContent).toBe('父母（含配偶父母）最多申领4名');
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });

  it('sends the SMS code for the family member\'s phone', async () => {
    mocked.sendSmsCode.mockResolvedValue(undefined);
    render(<Family />);
    type('family-phone', '13900139000');
    fireEvent.click(screen.getByTestId('family-send-code'));
    await waitFor(() => expect(mocked.sendSmsCode).toHaveBeenCalledWith('13900139000', 'family'));
    expect(await screen.findByText(/秒后重新获取/)).toBeTruthy();
  });
});
