// Chinese names of the issuing countries seen most on passports; other codes show as the code itself.
const NAMES: Record<string, string> = {
  CHN: '中国', HKG: '中国香港', MAC: '中国澳门', TWN: '中国台湾', USA: '美国', GBR: '英国', JPN: '日本', KOR: '韩国',
  SGP: '新加坡', MYS: '马来西亚', PHL: '菲律宾', IDN: '印度尼西亚', THA: '泰国', VNM: '越南', AUS: '澳大利亚',
  NZL: '新西兰', CAN: '加拿大', DEU: '德国', FRA: '法国', ITA: '意大利', ESP: '西班牙', NLD: '荷兰', RUS: '俄罗斯',
  IND: '印度', BRA: '巴西',
};

export function countryLabel(code: string): string {
  return NAMES[code] ? `${NAMES[code]}（${code}）` : code;
}
