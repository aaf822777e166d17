// The area picker of the console (GB/T 2260, Fujian's province → city → county), loading each level from
// GET /api/v1/console/areas?parent= when opened. A filter may stop at any level (通行区域: a city
// matches its counties); a service point needs a county.
import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import type { AreaOption } from '@bamin/common/appApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';

interface AreaNode {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: AreaNode[];
}

const FUJIAN_PREFIX = '35';
const toNode = (a: AreaOption): AreaNode => ({ value: a.code, label: a.name, isLeaf: a.level === 'county' });

/** The cascader path of a county code: province, city, county (the codes GB/T 2260 nests by prefix). */
export function areaPath(code: string): string[] {
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  return [province, city, code].filter((c, i, all) => all.indexOf(c) === i);
}

const find = (nodes: AreaNode[] | undefined, code: string) => nodes?.find((n) => n.value === code);

export function AreaCascader({
  value,
  onChange,
  anyLevel = false,
  placeholder = '请选择',
  testId,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  /** Filters: any level may be chosen. */
  anyLevel?: boolean;
  placeholder?: string;
  testId?: string;
}) {
  const fail = useFailure();
  const [areas, setAreas] = useState<AreaNode[]>([]);

  useEffect(() => {
    api.areas().then((r) => setAreas(r.areas.filter((a) => a.code.startsWith(FUJIAN_PREFIX)).map(toNode)), (e) => fail(e));
  }, [fail]);

  // A value set from outside (editing a service point): load the levels along its path so its names show.
  useEffect(() => {
    if (!value?.length || !areas.length) return;
    let cancelled = false;
    void (async () => {
      let level = areas;
      let changed = false;
      for (const code of value.slice(0, -1)) {
        const node = find(level, code);
        if (!node) break;
        if (!node.children) {
          try {
            node.children = (await api.areas(node.value)).areas.map(toNode);
            changed = true;
          } catch {
            break;
          }
        }
        level = node.children;
      }
      if (changed && !cancelled) setAreas((a) => [...a]);
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value?.join(','), areas.length]);

  const loadData = async (selected: AreaNode[]) => {
    const target = selected[selected.length - 1];
    try {
      const { areas: children } = await api.areas(target.value);
      target.children = children.map(toNode);
      if (children.length === 0) target.isLeaf = true;
      setAreas((a) => [...a]);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <Cascader
      data-testid={testId}
      options={areas}
      loadData={(s) => void loadData(s as AreaNode[])}
      changeOnSelect={anyLevel}
      value={value}
      onChange={(v) => onChange?.((v ?? []) as string[])}
      placeholder={placeholder}
      allowClear
      style={{ width: 240 }}
    />
  );
}
