// The console's shell: who is signed in decides what is shown — the public pages, the forced password
// change (before anything else), the association of a personal session, or the console with its menu.
import { App as AntApp, Button, Modal, Result, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleMe } from '@bamin/common/consoleApi';
import { api, isApiFailure, setUnauthorisedHandler } from './api';
import { ActivationCodesPage } from './components/ActivationCodes';
import { AssociationPage } from './components/AssociationPage';
import { AuditTrailPage } from './components/AuditTrail';
import { ConsoleLayout } from './components/ConsoleLayout';
import { CorrectionsPage } from './components/Corrections';
import { DataReceivedPage } from './components/DataReceived';
import { DataReportsPage } from './components/DataReports';
import { HOME_PATH, menuFor } from './components/ConsoleLayout/menu';
import { EmployeesPage } from './components/Employees';
import { OrganisationPage } from './components/Dashboard';
import { EmployeeHealthPage } from './components/EmployeeHealth';
import { FlowWarningsPage } from './components/FlowWarnings';
import { ScanRecordsPage } from './components/ScanRecords';
import { ServicePointsPage } from './components/ServicePoints';
import { GovernmentAccountPage } from './components/GovernmentAccountPage';
import { LoginPage } from './components/LoginPage';
import { NotOpen } from './components/NotOpen';
import { ForcedPasswordChange } from './components/PasswordChange';
import { RegisterPage } from './components/RegisterPage';
import { SubAccountsPage } from './components/SubAccounts';
import { navigate, useHashPath } from './router';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'out' } | { status: 'in'; me: ConsoleMe };

const PUBLIC_PATHS = ['/', '/login', '/register', '/government-account'];

export function ConsoleApp() {
  const path = useHashPath();
  const [state, setState] = useState<State>({ status: 'loading' });
  const { message } = AntApp.useApp();
  // Set when a call answered 401: several pages' calls fail at once, and a render that still has the old
  // session but the new '#/login' must not send the user back to the home page.
  const lost = useRef(false);

  const check = useCallback(() => {
    setState({ status: 'loading' });
    api.me().then(
      (me) => {
        lost.current = false;
        setState({ status: 'in', me });
      },
      (e) => setState(isApiFailure(e) && e.status === 401 ? { status: 'out' } : { status: 'error', message: e instanceof Error ? e.message : '加载失败' }),
    );
  }, []);
  useEffect(check, [check]);

  useEffect(() => {
    setUnauthorisedHandler(() => {
      if (lost.current) return;
      lost.current = true;
      Modal.destroyAll();
      setState({ status: 'out' });
      void message.warning('登录已失效，请重新登录');
      navigate('/login');
    });
    return () => setUnauthorisedHandler(null);
  }, [message]);

  const signedIn = (me: ConsoleMe) => {
    lost.current = false;
    setState({ status: 'in', me });
    navigate(HOME_PATH);
  };
  const signOut = async () => {
    try {
      await api.signOut();
    } catch {
      // the cookie is gone or the server is down: either way, show the login page
    }
    setState({ status: 'out' });
    navigate('/login');
  };

  if (state.status === 'loading') {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 160 }}>
        <Spin size="large" />
      </div>
    );
  }
  if (state.status === 'error') {
    return <Result status="error" title="无法连接服务器" subTitle={state.message} extra={<Button onClick={check}>重试</Button>} />;
  }
  if (state.status === 'out') {
    if (path === '/register') return <RegisterPage />;
    if (path === '/government-account') return <GovernmentAccountPage />;
    return <LoginPage onSignedIn={signedIn} />;
  }

  const { me } = state;
  const setMe = (next: ConsoleMe) => setState({ status: 'in', me: next });
  if (me.mustChangePassword) return <ForcedPasswordChange me={me} onChanged={(next) => { setMe(next); void message.success('密码已修改'); navigate(HOME_PATH); }} onSignOut={signOut} />;
  if (me.organisation === null) return <AssociationPage me={me} onAssociated={(next) => { setMe(next); navigate(HOME_PATH); }} onSignOut={signOut} />;

  if (PUBLIC_PATHS.includes(path)) {
    if (!lost.current) navigate(HOME_PATH);
    return null;
  }
  return (
    <ConsoleLayout me={me} path={path} onMe={setMe} onSignOut={signOut}>
      <ConsolePage me={me} path={path} />
    </ConsoleLayout>
  );
}

function ConsolePage({ me, path }: { me: ConsoleMe; path: string }) {
  const entry = menuFor(me.role).find((e) => e.path === path);
  if (!entry) return <Result status="404" title="页面不存在" extra={<Button onClick={() => navigate(HOME_PATH)}>返回首页</Button>} />;
  if (entry.notOpen) return <NotOpen title={entry.label} />;
  switch (entry.key) {
    case 'organisation':
      return <OrganisationPage me={me} />;
    case 'scan-records':
      return <ScanRecordsPage />;
    case 'employee-health':
      return <EmployeeHealthPage />;
    case 'service-points':
      return <ServicePointsPage />;
    case 'flow-warnings':
      return <FlowWarningsPage />;
    case 'employees':
      return <EmployeesPage />;
    case 'sub-accounts':
      return <SubAccountsPage me={me} />;
    case 'activation-codes':
      return <ActivationCodesPage />;
    case 'corrections':
      return <CorrectionsPage />;
    case 'data-reports':
      return <DataReportsPage />;
    case 'data-received':
      return <DataReceivedPage />;
    case 'audit':
      return <AuditTrailPage role={me.role} />;
    default:
      return <NotOpen title={entry.label} />;
  }
}
