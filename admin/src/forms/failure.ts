// Shows a refusal: the server's Chinese message, and each detail that names a field of the form on that
// field (the server names fields as the request does, and the forms use the request's field names).
import type { FormInstance } from 'antd';
import { App } from 'antd';
import { useCallback } from 'react';
import { isApiFailure } from '../api';

export function applyFailure(e: unknown, form: FormInstance | null, showMessage: (text: string) => void): void {
  if (isApiFailure(e)) {
    // 401 of a lost session is handled by the app (back to the login page).
    // A detail naming a field the form does not have only records an error nobody sees: harmless.
    const byField = new Map<string, string[]>();
    for (const d of e.details) {
      if (d.field) byField.set(d.field, [...(byField.get(d.field) ?? []), d.problem]);
    }
    if (form && byField.size) form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    showMessage(e.message);
    return;
  }
  showMessage(e instanceof Error && e.message ? e.message : '操作失败，请重试');
}

export function useFailure() {
  const { message } = App.useApp();
  return useCallback((e: unknown, form: FormInstance | null = null) => applyFailure(e, form, (t) => void message.error(t)), [message]);
}
