// 新增 / 修改信息 of one employee (D6, E5; manual 四(七), 五(二)6 (3)(6)): name, document type and number
// (GB 11643 for resident IDs; passports name their country), phone and department.
import { Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { ISO3166_ALPHA3 } from '@bamin/common/countries';
import { ID_TYPES, ID_TYPE_TEXT, type IdType } from '@bamin/common/idDocuments';
import type { EmployeeRequest, EmployeeView } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { idNumberRule, mobileRule, required } from '../../forms/rules';
import { countryLabel } from '../RegisterPage/countries';

export interface EmployeeValues {
  name: string;
  idType: IdType;
  idNumber: string;
  country?: string;
  phone?: string;
  department?: string;
}

const COUNTRY_OPTIONS = [...ISO3166_ALPHA3].filter((c) => c !== 'CHN').sort().map((code) => ({ value: code, label: countryLabel(code) }));

export function toEmployeeRequest(v: EmployeeValues): EmployeeRequest {
  return {
    name: v.name.trim(),
    idType: v.idType,
    idNumber: v.idNumber.trim().toUpperCase(),
    country: v.idType === 'passport' ? (v.country ?? null) : null,
    phone: v.phone?.trim() || null,
    department: v.department?.trim() || null,
  };
}

/** `employee` set: 修改信息 (the full ID number and phone are never sent to the browser, so they are entered again). */
export function EmployeeFormModal({ open, employee, onClose, onSaved }: { open: boolean; employee: EmployeeView | null; onClose: () => void; onSaved: (e: EmployeeView) => void }) {
  const [form] = Form.useForm<EmployeeValues>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  const idType = Form.useWatch('idType', form);
  return (
    <Modal
      title={employee ? '修改信息' : '新增员工'}
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'emp-form-submit' }}
      cancelButtonProps={{ 'data-testid': 'emp-form-cancel' }}
      onOk={() => form.submit()}
    >
      <Form<EmployeeValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={employee ? { name: employee.name, idType: employee.idType, department: employee.department ?? '' } : { idType: 'resident_id' }}
        onValuesChange={(changed: Partial<EmployeeValues>) => {
          if ((changed.idType || changed.country) && form.getFieldValue('idNumber')) void form.validateFields(['idNumber']).catch(() => {});
        }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const body = toEmployeeRequest(v);
            onSaved(employee ? await api.updateEmployee(employee.id, body) : await api.createEmployee(body));
          } catch (e) {
            fail(e, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label="姓名" rules={[required('请输入姓名'), { max: 50, message: '姓名最多50个字符' }]}>
          <Input data-testid="emp-form-name" placeholder="请输入员工姓名" />
        </Form.Item>
        <Form.Item name="idType" label="证件类型" rules={[{ required: true, message: '请选择证件类型' }]}>
          <Select data-testid="emp-form-id-type" options={ID_TYPES.map((t) => ({ value: t, label: ID_TYPE_TEXT[t] }))} />
        </Form.Item>
        {idType === 'passport' && (
          <Form.Item name="country" label="国家/地区" rules={[{ required: true, message: '护照须选择签发国家或地区' }]}>
            <Select data-testid="emp-form-country" showSearch optionFilterProp="label" options={COUNTRY_OPTIONS} placeholder="请选择签发国家或地区" />
          </Form.Item>
        )}
        <Form.Item
          name="idNumber"
          label="证件号码"
          extra={employee ? `当前：${employee.idMasked}（出于隐私保护，修改时须重新输入完整证件号码）` : undefined}
          rules={[required('请输入证件号码'), idNumberRule(form)]}
        >
          <Input data-testid="emp-form-id-number" placeholder="请输入证件号码" maxLength={20} />
        </Form.Item>
        <Form.Item
          name="phone"
          label="手机号码"
          extra={employee?.phoneMasked ? `当前：${employee.phoneMasked}（须重新输入；留空将清除手机号码）` : undefined}
          rules={[mobileRule]}
        >
          <Input data-testid="emp-form-phone" placeholder="选填" maxLength={20} />
        </Form.Item>
        <Form.Item name="department" label="部门" rules={[{ max: 100, message: '部门最多100个字符' }]}>
          <Input data-testid="emp-form-department" placeholder="选填" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
