// E2 (manual 五(二)2): when the unit has no employee yet, it is asked to import them.
import { Alert, Button } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { navigate } from '../../router';

export const NO_EMPLOYEES_TEXT = '尚未导入员工信息，请先导入本单位员工信息，以便查看职工健康上报情况。';

export function NoEmployeesPrompt() {
  const [empty, setEmpty] = useState(false);
  useEffect(() => {
    let live = true;
    api.employees({ page: 1, pageSize: 1 }).then(
      (p) => live && setEmpty(p.total === 0),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  if (!empty) return null;
  return (
    <Alert
      data-testid="no-employees-prompt"
      type="warning"
      showIcon
      message={NO_EMPLOYEES_TEXT}
      action={
        <Button data-testid="no-employees-import" type="primary" size="small" onClick={() => navigate('/employees?import=1')}>
          导入员工信息
        </Button>
      }
      style={{ marginBottom: 16 }}
    />
  );
}
