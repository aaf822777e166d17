import { useEffect, useState } from 'react';
import { Picker, Text, View } from '@tarojs/components';
import type { AreaOption } from '@bamin/common/appApi';
import { errorMessage, listAreas as listCitizenAreas } from '../services/api';

type AreaLoader = (parent?: string) => Promise<AreaOption[]>;

/**
 * Province → city → county, each level loaded with GET areas?parent=. `value` is the county code.
 * `load` fetches one level (default: the citizen route; the scanner side passes its own).
 */
export function AreaPicker(props: { value: string; onChange: (county: AreaOption | null) => void; testId?: string; load?: AreaLoader }) {
  const listAreas: AreaLoader = props.load ?? listCitizenAreas;
  const [provinces, setProvinces] = useState<AreaOption[]>([]);
  const [cities, setCities] = useState<AreaOption[]>([]);
  const [counties, setCounties] = useState<AreaOption[]>([]);
  const [province, setProvince] = useState<AreaOption | null>(null);
  const [city, setCity] = useState<AreaOption | null>(null);
  const [county, setCounty] = useState<AreaOption | null>(null);
  const [error, setError] = useState('');

  // Load the provinces, and preselect the levels of an initial value (codes follow GB/T 2260).
  useEffect(() => {
    let alive = true;
    (async () => {
      try {
        const ps = await listAreas();
        if (!alive) return;
        setProvinces(ps);
        const initial = props.value;
        if (!initial || initial.length !== 6) return;
        const p = ps.find((a) => a.code === `${initial.slice(0, 2)}0000`);
        if (!p) return;
        setProvince(p);
        const cs = await listAreas(p.code);
        if (!alive) return;
        setCities(cs);
        const c = cs.find((a) => a.code === `${initial.slice(0, 4)}00`) ?? cs.find((a) => a.code === initial);
        if (!c) return;
        setCity(c);
        if (c.level === 'county') return; // municipalities: the second level is already the county
        const ks = await listAreas(c.code);
        if (!alive) return;
        setCounties(ks);
        const k = ks.find((a) => a.code === initial);
        if (k) setCounty(k);
      } catch (e) {
        if (alive) setError(errorMessage(e));
      }
    })();
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const pickProvince = async (index: number) => {
    const p = provinces[index];
    if (!p) return;
    setProvince(p);
    setCity(null);
    setCounty(null);
    setCounties([]);
    props.onChange(null);
    try {
      setCities(await listAreas(p.code));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const pickCity = async (index: number) => {
    const c = cities[index];
    if (!c) return;
    setCity(c);
    setCounty(null);
    setCounties([]);
    if (c.level === 'county') {
      // Municipalities (北京、天津、上海、重庆) list their districts directly under the province.
      props.onChange(c);
      return;
    }
    props.onChange(null);
    try {
      setCounties(await listAreas(c.code));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const pickCounty = (index: number) => {
    const k = counties[index];
    if (!k) return;
    setCounty(k);
    props.onChange(k);
  };

  return (
    <View data-testid={props.testId}>
      {error ? <Text className='field-error'>{error}</Text> : null}
      <View data-testid={props.testId ? `${props.testId}-level-0` : undefined}>
      <Picker mode='selector' range={provinces.map((a) => a.name)} onChange={(e) => pickProvince(Number(e.detail.value))}>
        <View className='input area-level' data-testid={props.testId ? `${props.testId}-province` : undefined}>{province ? province.name : '请选择省份'}</View>
      </Picker>
      </View>
      <View data-testid={props.testId ? `${props.testId}-level-1` : undefined}>
      <Picker mode='selector' range={cities.map((a) => a.name)} disabled={!province} onChange={(e) => pickCity(Number(e.detail.value))}>
        <View className='input area-level' data-testid={props.testId ? `${props.testId}-city` : undefined}>{city ? city.name : '请选择城市（地区）'}</View>
      </Picker>
      </View>
      {city?.level === 'county' ? null : (
      <View data-testid={props.testId ? `${props.testId}-level-2` : undefined}>
      <Picker mode='selector' range={counties.map((a) => a.name)} disabled={!city} onChange={(e) => pickCounty(Number(e.detail.value))}>
        <View className='input area-level' data-testid={props.testId ? `${props.testId}-county` : undefined}>{county ? county.name : '请选择区县'}</View>
      </Picker>
      </View>
      )}
    </View>
  );
}
