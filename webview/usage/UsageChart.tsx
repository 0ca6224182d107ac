import { useEffect, useRef, useState } from 'preact/hooks';
import { dashboardStrings as s } from '../strings';
import { drawChart, readChartTheme, type ChartSeries } from './charts';
import { useThemeVersion } from './useTheme';

interface Props {
  readonly id: string;
  readonly title: string;
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly stacked?: boolean;
  readonly format: (value: number) => string;
  readonly axisFormat?: (value: number) => string;
  /** Whole-number ticks on the y axis (a count of requests or tokens). */
  readonly counts?: boolean;
  /** The period's figure in words, for the caption and screen readers. */
  readonly total: string;
}

/** uPlot's stylesheet, added when the first chart mounts so the editor's first paint does not wait for it. */
function useChartStylesheet(): void {
  useEffect(() => {
    const href = document.body.dataset.chartCss;
    if (!href || document.getElementById('uplot-stylesheet')) return;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.id = 'uplot-stylesheet';
    document.head.append(link);
  }, []);
}

/** One uPlot chart, redrawn when its data, its width or the colour theme changes. */
export function UsageChart(props: Props) {
  useChartStylesheet();
  const host = useRef<HTMLDivElement>(null);
  const theme = useThemeVersion();
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      setWidth(Math.floor(element.clientWidth));
    });
    observer.observe(element);
    setWidth(Math.floor(element.clientWidth));
    return () => {
      observer.disconnect();
    };
  }, []);
  useEffect(() => {
    const element = host.current;
    if (!element || width <= 0) return;
    const chart = drawChart(element, { times: props.times, series: props.series, stacked: props.stacked ?? false, counts: props.counts ?? false, format: props.format, ...(props.axisFormat ? { axisFormat: props.axisFormat } : {}), width, height: 200 }, readChartTheme());
    return () => {
      chart.destroy();
    };
  }, [props.times, props.series, props.stacked, props.counts, props.format, props.axisFormat, width, theme]);
  const summary = s.chartSummary(props.title, props.total);
  return (
    <figure class="chart" id={props.id} role="group" aria-label={summary} data-points={String(props.times.length * props.series.length)}>
      <figcaption>
        <span class="chart-title">{props.title}</span> <span class="muted">{props.total}</span>
      </figcaption>
      <div class="chart-canvas" ref={host} aria-hidden="true" />
    </figure>
  );
}
