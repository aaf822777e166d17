// 企业数据管理 (E5, manual 五(二)6): the unit's basic information — name, credit code, legal
// representative and masked phone. Enterprises edit it (the credit code cannot change); government units
// and the health department see it read-only. Below, E2's prompt when no employee is imported yet.
import { Alert, Button, Descriptions, Form, Input, Modal, Skeleton, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ConsoleMe, OrganisationUpdateRequest, OrganisationView } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { mobileRule, required } from '../../forms/rules';
import { NoEmployeesPrompt } from '../Employees/NoEmployeesPrompt';

export function EnterpriseInfo({ me }: { me: ConsoleMe }) {
  const [org, setOrg] = useState<OrganisationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => {
    api.organisation().then(setOrg, (e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);
  const isEnterprise = me.role === 'enterprise';

  return (
    <div>
      <Typography.Title level={4}>{isEnterprise ? '企业基本信息' : '单位基本信息'}</Typography.Title>
      <NoEmployeesPrompt />
      {error && <Alert type="error" showIcon message={error} />}
      {!org && !error && <Skeleton active />}
      {org && (
        <>
          <Descriptions bordered column={1} size="middle" style={{ maxWidth: 720 }}>
            <Descriptions.Item label={isEnterprise ? '企业名称' : '单位名称'}>
              <span data-testid="org-name">{org.name}</span>
            </Descriptions.Item>
            <Descriptions.Item label="统一社会信用代码">
              <span data-testid="org-credit-code">{org.creditCode ?? '—'}</span>
            </Descriptions.Item>
            {isEnterprise && (
              <Descriptions.Item label="法人姓名">
                <span data-testid="org-legal-rep">{org.legalRepName ?? '—'}</span>
              </Descriptions.Item>
            )}
            {isEnterprise && (
              <Descriptions.Item label="法人电话号码">
                <span data-testid="org-phone">{org.legalRepPhoneMasked ?? '—'}</span>
              </Descriptions.Item>
            )}
            <Descriptions.Item label="所在地区">
              <span data-testid="org-area">{org.areaName ?? '—'}</span>
            </Descriptions.Item>
            {org.parent && (
              <Descriptions.Item label="上级单位">
                <span data-testid="org-parent">{org.parent.name}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
          {isEnterprise && (
            <Button data-testid="org-edit" type="primary" style={{ marginTop: 16 }} onClick={() => setEditing(true)}>
              修改企业信息
            </Button>
          )}
          <OrganisationEditModal
            org={org}
            open={editing}
            onClose={() => setEditing(false)}
            onSaved={(next) => {
              setOrg(next);
              setEditing(false);
            }}
          />
        </>
      )}
    </div>
  );
}

export function OrganisationEditModal({ org, open, onClose, onSaved }: { org: OrganisationView; open: boolean; onClose: () => void; onSaved: (org: OrganisationView) => void }) {
  const [form] = Form.useForm<OrganisationUpdateRequest>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  return (
    <Modal
      title="修改企业信息"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'org-form-submit' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: org.name, legalRepName: org.legalRepName ?? '', legalRepPhone: '' }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            onSaved(await api.updateOrganisation({ name: v.name.trim(), legalRepName: v.legalRepName.trim(), legalRepPhone: v.legalRepPhone.trim() }));
          } catch (e) {
            fail(e, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item label="统一社会信用代码">
          <Input value={org.creditCode ?? ''} disabled data-testid="org-form-credit-code" />
        </Form.Item>
        <Form.Item name="name" label="企业名称" rules={[required('请输入企业名称'), { max: 100, message: '企业名称最多100个字符' }]}>
          <Input data-testid="org-form-name" />
        </Form.Item>
        <Form.Item name="legalRepName" label="法人姓名" rules={[required('请输入法人姓名'), { max: 50, message: '姓名最多50个字符' }]}>
          <Input data-testid="org-form-legal-rep" />
        </Form.Item>
        <Form.Item
          name="legalRepPhone"
          label="法人电话号码"
          extra={org.legalRepPhoneMasked ? `当前：${org.legalRepPhoneMasked}（出于隐私保护，保存时须重新输入完整号码）` : undefined}
          rules={[required('请输入法人电话号码'), mobileRule]}
        >
          <Input data-testid="org-form-phone" maxLength={20} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
