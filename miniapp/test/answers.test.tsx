import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import Answers from '../src/pages/answers/index';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  updateFamilyAnswers: jest.fn(),
}));
const mocked = api as jest.Mocked<typeof api>;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  routerState.params = { holder: '7' };
});

describe('update a family member health answers', () => {
  it('asks every question before submitting', async () => {
    render(<Answers />);
    fireEvent.click(screen.getByTestId('answers-submit'));
    expect(await screen.findByTestId('error-inFujian')).toBeTruthy();
    expect(mocked.updateFamilyAnswers).not.toHaveBeenCalled();
  });

  it('submits the five answers and returns to the member code', async () => {
    mocked.updateFamilyAnswers.mockResolvedValue({} as never);
    render(<Answers />);
    fireEvent.click(screen.getByTestId('answers-inFujian-yes'));
    for (const k of ['leftFujianIn14Days', 'isolatedOrContactOrRecentlyDischarged', 'otherAbnormalHealth']) fireEvent.click(screen.getByTestId(`answers-${k}-no`));
    fireEvent.click(screen.getByTestId('answers-feverOrRespiratorySymptoms-yes'));
    fireEvent.click(screen.getByTestId('answers-submit'));
    await waitFor(() =>
      expect(mocked.updateFamilyAnswers).toHaveBeenCalledWith('7', {
        inFujian: true,
        leftFujianIn14Days: false,
        isolatedOrContactOrRecentlyDischarged: false,
        feverOrRespiratorySymptoms: true,
        otherAbnormalHealth: false,
      }),
    );
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/code/index?holder=7' }));
  });
});
