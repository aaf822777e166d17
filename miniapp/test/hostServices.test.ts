import { hostServiceAction, serviceTargets } from '../src/services/hostServices';

describe('host services behind the green-code entries (manual 一(四))', () => {
  const targets = serviceTargets(JSON.stringify({ bus: { appId: 'wx1234567890', path: 'pages/ride/index', url: 'https://bus.example.gov.cn/' } }));

  it('opens the configured mini-program on weapp', () => {
    expect(hostServiceAction('bus', 'weapp', targets)).toEqual({ kind: 'miniProgram', appId: 'wx1234567890', path: 'pages/ride/index' });
  });
  it('opens the configured URL on H5', () => {
    expect(hostServiceAction('bus', 'h5', targets)).toEqual({ kind: 'url', url: 'https://bus.example.gov.cn/' });
  });
  it('falls back to the development page naming the service when nothing is configured', () => {
    expect(hostServiceAction('medicine', 'h5', targets)).toEqual({ kind: 'page', url: '/pages/service/index?which=medicine' });
    expect(hostServiceAction('bus', 'h5', serviceTargets('not json'))).toEqual({ kind: 'page', url: '/pages/service/index?which=bus' });
  });
});
