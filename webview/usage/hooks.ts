import type { BudgetInputView, ChartPeriodView } from '../../src/protocol';
import { useMethodMutation, useMethodQuery } from '../hooks/method';

export function useUsageReport(period: ChartPeriodView, version: number) {
  return useMethodQuery('usage.report', { period }, { deps: [version] });
}

export function useUsageSeries(period: ChartPeriodView, version: number) {
  return useMethodQuery('usage.series', { period }, { deps: [version] });
}

export function useExportCsv() {
  return useMethodMutation('usage.exportCsv');
}

export function useHealth() {
  return useMethodQuery('health.list', {});
}

export function useCheckHealth() {
  return useMethodMutation<'health.check', undefined>('health.check', () => ({}));
}

export function useBudgets(version: number) {
  return useMethodQuery('budgets.list', {}, { deps: [version] });
}

export function useSaveBudget() {
  return useMethodMutation('budgets.save', (budget: BudgetInputView) => ({ budget }));
}

export function useDeleteBudget() {
  return useMethodMutation('budgets.delete', (id: string) => ({ id }));
}

export function useGatewayBudgets(version: number) {
  return useMethodQuery('gatewayBudgets.list', {}, { deps: [version] });
}
