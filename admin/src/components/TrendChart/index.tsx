// A thin React wrapper around ECharts (only the line chart, grid and tooltip are bundled) for the
// dashboard's daily reporting trend (E3). SVG renderer: crisp when printed or zoomed, and it renders in
// jsdom for the component tests.
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Dashboard } from '@bamin/common/consoleApi';

echarts.use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

type TrendPoint = Dashboard['trend'][number];

export const percent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

/** The tooltip of one day (manual 五(二)4: the day's reporting employees and their share of the roll). */
export function trendTooltipText(p: TrendPoint): string[] {
  return [p.day, `健康上报人数：${p.reportedEmployees} 人`, `占企业人数比例：${percent(p.share)}（${p.reportedEmployees}/${p.employees}）`];
}

export function trendOption(trend: TrendPoint[]): echarts.EChartsCoreOption {
  return {
    grid: { left: 48, right: 24, top: 24, bottom: 32 },
    tooltip: {
      trigger: 'axis',
      className: 'trend-tooltip',
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex: number } | undefined;
        const p = first ? trend[first.dataIndex] : undefined;
        return p ? trendTooltipText(p).join('<br/>') : '';
      },
    },
    xAxis: { type: 'category', boundaryGap: false, data: trend.map((t) => t.day.slice(5)) },
    yAxis: { type: 'value', minInterval: 1, name: '人数' },
    series: [{ type: 'line', name: '健康上报人数', data: trend.map((t) => t.reportedEmployees), symbolSize: 6, areaStyle: { opacity: 0.08 } }],
  };
}

export function TrendChart({ trend, height = 280 }: { trend: TrendPoint[]; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(trendOption(trend), true);
  }, [trend]);
  return <div data-testid="dash-trend-chart" ref={el} style={{ width: '100%', height }} />;
}
