import { useCallback } from 'preact/hooks';
import type { BudgetInputView, ChartPeriodView } from '../../src/protocol';
import { useMutation, useQuery } from '../hooks/request';
import { useData } from '../rpc/context';

/** A stable key for a period, so queries rerun only when it really changed. */
function keyOf(period: ChartPeriodView): string {
  return typeof period === 'string' ? period : `${period.from}/${period.to}`;
}

export function useUsageReport(period: ChartPeriodView, version: number) {
  const { rpc } = useData();
  return useQuery(() => rpc.request('usage.report', { period }), [rpc, keyOf(period), version]);
}

export function useUsageSeries(period: ChartPeriodView, version: number) {
  const { rpc } = useData();
  return useQuery(() => rpc.request('usage.series', { period }), [rpc, keyOf(period), version]);
}

export function useExportCsv() {
  const { rpc } = useData();
  return useMutation(useCallback((params: { period: ChartPeriodView; groupBy: 'configuration' | 'provider' }) => rpc.request('usage.exportCsv', params), [rpc]));
}

export function useHealth() {
  const { rpc } = useData();
  return useQuery(() => rpc.request('health.list', {}), [rpc]);
}

export function useCheckHealth() {
  const { rpc } = useData();
  return useMutation(useCallback(() => rpc.request('health.check', {}), [rpc]));
}

export function useBudgets(version: number) {
  const { rpc } = useData();
  return useQuery(() => rpc.request('budgets.list', {}), [rpc, version]);
}

export function useSaveBudget() {
  const { rpc } = useData();
  return useMutation(useCallback((budget: BudgetInputView) => rpc.request('budgets.save', { budget }), [rpc]));
}

export function useDeleteBudget() {
  const { rpc } = useData();
  return useMutation(useCallback((id: string) => rpc.request('budgets.delete', { id }), [rpc]));
}
